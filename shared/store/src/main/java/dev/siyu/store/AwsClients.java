package dev.siyu.store;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients the stores use. Only the URL-connection HTTP client is on the classpath
 * (netty and Apache are excluded in the pom): it starts fastest on Lambda and needs no reflection
 * setup for a native image. Nothing here runs at class initialisation; clients connect lazily on
 * their first request, so building them inside a SnapStart or native-image init phase is safe.
 */
public final class AwsClients {
    /**
     * WeCom retries a callback that has not answered in 5 s; a DynamoDB call that has not answered in
     * 2 s is better retried by the SDK than waited for.
     */
    private static final Duration DYNAMODB_SOCKET_TIMEOUT = Duration.ofSeconds(2);
    /** A SendMessage answers in milliseconds; ReceiveMessage is only used locally, with waits of 1 s. */
    private static final Duration SQS_SOCKET_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Every call ends, retries included, within these: the SDK's socket timeout bounds one read, not a
     * call (DynamoDB's default retries x 2 s each, backoff between). A callback holds its claim's lease
     * for 15 s and its function stops at 10 s (CallbackProcessor.LEASE, template.yaml); with these a
     * stuck call fails the callback, which gives its claim back, instead of running on past the lease
     * while a WeCom retry takes the callback over.
     */
    static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(4);
    static final Duration SQS_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SQS_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final StoreSettings settings;

    public AwsClients(StoreSettings settings) {
        this.settings = settings;
    }

    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .httpClient(http(DYNAMODB_SOCKET_TIMEOUT))
                .overrideConfiguration(timeouts(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings.dynamoDbEndpoint()));
        settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public SqsClient sqs() {
        var builder = SqsClient.builder()
                .httpClient(http(SQS_SOCKET_TIMEOUT))
                .overrideConfiguration(timeouts(SQS_ATTEMPT_TIMEOUT, SQS_CALL_TIMEOUT))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings.sqsEndpoint()));
        settings.sqsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static ClientOverrideConfiguration timeouts(Duration attempt, Duration call) {
        return ClientOverrideConfiguration.builder().apiCallAttemptTimeout(attempt).apiCallTimeout(call).build();
    }

    private static SdkHttpClient http(Duration socketTimeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(socketTimeout)
                .build();
    }

    /**
     * Local endpoints accept any credentials, and a developer machine may have none configured: a
     * fixed pair keeps the default chain from probing profiles and the instance metadata service.
     */
    private static AwsCredentialsProvider credentials(Optional<URI> endpoint) {
        if (endpoint.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        // Lambda puts the role's credentials in the environment; reading them there skips the
        // default chain's probing of profile files and container endpoints on a cold start.
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null && System.getenv("AWS_ACCESS_KEY_ID") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
