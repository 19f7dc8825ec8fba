package dev.siyu.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator driven by a hand-rolled runtime: the calls the runtime interface client makes. */
class RuntimeApiEmulatorTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    private RuntimeApiEmulator api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        api = RuntimeApiEmulator.start(0);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void hands_out_the_queued_event_with_lambda_headers_and_completes_on_the_response() throws Exception {
        CompletableFuture<RuntimeApiEmulator.Invocation> answer = api.invoke(utf8("{\"a\":1}"), LONG);

        HttpResponse<String> next = get("invocation/next");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"a\":1}");
        String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
        long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertThat(deadline).isGreaterThan(System.currentTimeMillis());
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).hasValue(
                RuntimeApiEmulator.DEFAULT_FUNCTION_ARN);
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow()).startsWith("Root=1-");
        assertThat(answer).isNotDone();

        HttpResponse<String> posted = post("invocation/" + id + "/response", "{\"ok\":true}");

        assertThat(posted.statusCode()).isEqualTo(202);
        RuntimeApiEmulator.Invocation inv = answer.get(5, TimeUnit.SECONDS);
        assertThat(inv.requestId()).isEqualTo(id);
        assertThat(inv.payloadUtf8()).isEqualTo("{\"ok\":true}");
        assertThat(inv.error()).isFalse();
        assertThat(inv.latency()).isPositive();
        assertThat(api.runtimeReady()).isCompleted();
    }

    @Test
    void a_poll_blocks_until_an_event_arrives_and_events_go_out_in_order() throws Exception {
        CompletableFuture<HttpResponse<String>> polling = http.sendAsync(
                HttpRequest.newBuilder(uri("invocation/next")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(polling).isNotDone();

        CompletableFuture<RuntimeApiEmulator.Invocation> first = api.invoke(utf8("1"), LONG);
        CompletableFuture<RuntimeApiEmulator.Invocation> second = api.invoke(utf8("2"), LONG);

        HttpResponse<String> got = polling.get(5, TimeUnit.SECONDS);
        assertThat(got.body()).isEqualTo("1");
        post("invocation/" + requestId(got) + "/response", "one");
        HttpResponse<String> next = get("invocation/next");
        assertThat(next.body()).isEqualTo("2");
        post("invocation/" + requestId(next) + "/response", "two");
        assertThat(first.get(5, TimeUnit.SECONDS).payloadUtf8()).isEqualTo("one");
        assertThat(second.get(5, TimeUnit.SECONDS).payloadUtf8()).isEqualTo("two");
    }

    @Test
    void a_function_error_completes_the_invocation_as_an_error() throws Exception {
        CompletableFuture<RuntimeApiEmulator.Invocation> answer = api.invoke(utf8("{}"), LONG);
        String id = requestId(get("invocation/next"));

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri("invocation/" + id + "/error"))
                .header("Lambda-Runtime-Function-Error-Type", "Unhandled")
                .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"boom\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(202);
        RuntimeApiEmulator.Invocation inv = answer.get(5, TimeUnit.SECONDS);
        assertThat(inv.error()).isTrue();
        assertThat(inv.payloadUtf8()).contains("boom");
    }

    @Test
    void an_init_error_is_reported_and_fails_what_can_no_longer_be_served() throws Exception {
        CompletableFuture<RuntimeApiEmulator.Invocation> queued = api.invoke(utf8("{}"), LONG);

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri("init/error"))
                .header("Lambda-Runtime-Function-Error-Type", "Runtime.BadFunctionCode")
                .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"no handler\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(202);
        RuntimeApiEmulator.InitError error = api.initError().get(5, TimeUnit.SECONDS);
        assertThat(error.errorType()).isEqualTo("Runtime.BadFunctionCode");
        assertThat(error.bodyUtf8()).contains("no handler");
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RuntimeApiEmulator.InitFailedException.class);
        assertThatThrownBy(() -> api.invoke(utf8("{}"), LONG).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RuntimeApiEmulator.InitFailedException.class);
    }

    @Test
    void reads_the_status_of_an_http_answer() {
        assertThat(new RuntimeApiEmulator.Invocation("id", utf8("{\"statusCode\": 503,\"body\":\"x\"}"), false,
                Duration.ZERO).statusCode()).isEqualTo(503);
        assertThat(new RuntimeApiEmulator.Invocation("id", utf8("{\"ok\":true}"), false, Duration.ZERO).statusCode())
                .isEqualTo(-1);
    }

    @Test
    void an_unanswered_invocation_times_out_and_leaves_the_queue() throws Exception {
        CompletableFuture<RuntimeApiEmulator.Invocation> answer = api.invoke(utf8("{}"), Duration.ofMillis(200));

        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        assertThat(api.queued()).isZero();
    }

    @Test
    void a_cancelled_invocation_is_withdrawn_before_a_runtime_takes_it() throws Exception {
        api.invoke(utf8("withdrawn"), LONG).cancel(false);
        api.invoke(utf8("kept"), LONG);

        assertThat(get("invocation/next").body()).isEqualTo("kept");
    }

    @Test
    void answers_for_unknown_ids_are_refused() throws Exception {
        assertThat(post("invocation/no-such-id/response", "{}").statusCode()).isEqualTo(400);
        assertThat(get("no/such/thing").statusCode()).isEqualTo(404);
        assertThat(post("invocation/next", "").statusCode()).isEqualTo(405);
    }

    @Test
    void a_response_over_lambdas_limit_fails_the_invocation() throws Exception {
        CompletableFuture<RuntimeApiEmulator.Invocation> answer = api.invoke(utf8("{}"), LONG);
        String id = requestId(get("invocation/next"));

        HttpResponse<String> posted = post("invocation/" + id + "/response",
                "x".repeat(RuntimeApiEmulator.MAX_RESPONSE_BYTES + 1));

        assertThat(posted.statusCode()).isEqualTo(413);
        RuntimeApiEmulator.Invocation inv = answer.get(5, TimeUnit.SECONDS);
        assertThat(inv.error()).isTrue();
        assertThat(inv.payloadUtf8()).contains("Function.ResponseSizeTooLarge");
    }

    @Test
    void closing_fails_pending_invocations_and_releases_a_waiting_poll() throws Exception {
        CompletableFuture<HttpResponse<String>> polling = http.sendAsync(
                HttpRequest.newBuilder(uri("invocation/next")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        CompletableFuture<RuntimeApiEmulator.Invocation> inFlight = api.invoke(utf8("{}"), LONG);
        polling.get(5, TimeUnit.SECONDS);
        CompletableFuture<RuntimeApiEmulator.Invocation> queued = api.invoke(utf8("{}"), LONG);

        api.close();

        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> api.invoke(utf8("{}"), LONG).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://" + api.address() + "/2018-06-01/runtime/" + path);
    }

    private static String requestId(HttpResponse<String> next) {
        return next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
