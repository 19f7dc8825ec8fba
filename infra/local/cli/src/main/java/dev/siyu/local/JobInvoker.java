package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.store.DeadLetter;
import dev.siyu.store.DeadLetterQueue;
import dev.siyu.store.DeadLetterSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Where a scheduled job's dead letter goes back to: the scheduler function, invoked asynchronously with the
 * job's input as EventBridge Scheduler invokes it (Lambda's Invoke API, {@code X-Amz-Invocation-Type: Event},
 * signed with SigV4 by the SDK's signer, as {@link StackTimeZone} reaches CloudFormation: the CLI carries no
 * Lambda client for one call). The job comes from the dead letter: the schedule's own input, or the request
 * payload inside Lambda's on-failure record.
 */
final class JobInvoker implements DeadLetterQueue.Source {
    private final URI endpoint;
    private final String region;
    private final String function;
    private final AwsCredentialsProvider credentials;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DeadLetterSummary summary = new DeadLetterSummary(JSON);

    JobInvoker(URI endpoint, String region, String function, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.function = function;
        this.credentials = credentials;
    }

    /** A loopback endpoint (a test's stand-in) gets placeholder credentials; AWS's the caller's. */
    static JobInvoker of(URI endpoint, String region, String function) {
        boolean loopback = endpoint != null && ("127.0.0.1".equals(endpoint.getHost()) || "localhost".equals(endpoint.getHost()));
        URI lambda = endpoint != null ? endpoint
                : URI.create("https://lambda." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
        return new JobInvoker(lambda, region, function, loopback
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build());
    }

    @Override
    public void send(DeadLetter letter) {
        String job = summary.of(letter.body()).get("job");
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("names no job: not a scheduled job's dead letter");
        }
        String jobOnly = "{\"job\": \"" + job.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        byte[] payload = withInput(letter.body(), job).orElse(jobOnly).getBytes(StandardCharsets.UTF_8);
        int status = invoke(payload, "Event").status();
        // 202: accepted for an asynchronous run, the same way the schedule starts it
        if (status != 202) {
            throw new IllegalStateException("Lambda answered " + status + " to the invocation of " + function);
        }
    }

    /**
     * An operator action's dead letter (mass_send, transfer_customers) goes back with its input: without it the run
     * could only fail again.
     */
    private static java.util.Optional<String> withInput(String body, String job) {
        try {
            com.fasterxml.jackson.databind.JsonNode letter = JSON.readTree(body);
            com.fasterxml.jackson.databind.JsonNode request = letter.has("requestPayload") ? letter.get("requestPayload")
                    : letter;
            com.fasterxml.jackson.databind.JsonNode input = request.path("input");
            if (!input.isObject()) {
                return java.util.Optional.empty();
            }
            com.fasterxml.jackson.databind.node.ObjectNode event = JSON.createObjectNode().put("job", job);
            event.set("input", input);
            return java.util.Optional.of(JSON.writeValueAsString(event));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** What Lambda answered: its status, the function's error type if it failed, and the body. */
    record Answer(int status, String functionError, String body) { }

    /**
     * Runs the function with this event: asynchronously (as a schedule does: Lambda retries a failed run twice,
     * then its dead-letter queue keeps it), or, when wait, once and with its answer (the operator reads the
     * summary; Lambda does not retry a synchronous call, the operator runs the command again).
     */
    Answer call(String event, boolean wait) {
        return invoke(event.getBytes(StandardCharsets.UTF_8), wait ? "RequestResponse" : "Event");
    }

    private Answer invoke(byte[] payload, String invocationType) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(endpoint.toString().replaceAll("/$", "") + "/2015-03-31/functions/"
                        + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations"))
                .putHeader("X-Amz-Invocation-Type", invocationType)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(payload.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveIdentity().join())
                .request(request).payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(payload)).build()).call();
            String body = response.responseBody().isPresent()
                    ? new String(response.responseBody().get().readAllBytes(), StandardCharsets.UTF_8) : "";
            return new Answer(response.httpResponse().statusCode(),
                    response.httpResponse().firstMatchingHeader("X-Amz-Function-Error").orElse(null), body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Lambda at " + endpoint, e);
        }
    }
}
