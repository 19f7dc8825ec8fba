package dev.siyu.store;

import dev.siyu.stack.aws.EmbeddedDynamoDb;
import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One DynamoDB Local with the suite's table for one test class, started before its first test and closed
 * after its last: {@code @RegisterExtension static final LocalAws aws = new LocalAws();}. Extensions run
 * before the class's own {@code @BeforeAll}, so that may build its stores on {@link #dynamo()}.
 */
final class LocalAws implements BeforeAllCallback, AfterAllCallback {
    static final String TABLE = "siyu-test";

    private EmbeddedDynamoDb dynamoDb;
    private StoreSettings settings;
    private DynamoDbClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        dynamoDb = EmbeddedDynamoDb.start(0);
        settings = StoreSettings.local(TABLE, "unused", dynamoDb.endpoint(), dynamoDb.endpoint());
        client = new AwsClients(settings).dynamoDb();
        // No TTL sweep: the tests write expiries at fixed instants in the past, and DynamoDB Local's sweep
        // (by the real clock) would delete a claim in the middle of a test that checks it.
        SiyuTable.createIfMissing(client, TABLE, false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        dynamoDb.close();
    }

    /** The client the stores use in production, on this DynamoDB Local. */
    DynamoDbClient dynamo() {
        return client;
    }

    /** Another client on the same table whose calls pass through interceptors (a lost answer, say); close it. */
    DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(dynamoDb.endpoint())
                // DynamoDB Local keeps tables per region and access key: the same as the stores' client.
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> Arrays.stream(interceptors).forEach(o::addExecutionInterceptor))
                .build();
    }
}
