package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ./siyu mass-send and ./siyu transfer against a deployed stack: the scheduler function invoked with the operator
 * action's input, through a loopback stand-in for Lambda's Invoke API.
 */
class OperatorCommandTest {
    private final List<String> invocationTypes = new CopyOnWriteArrayList<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private HttpServer lambda;
    private volatile int status = 202;
    private volatile String answer = "";

    @BeforeEach
    void start() throws Exception {
        lambda = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        lambda.createContext("/2015-03-31/functions/siyu-prod-SchedulerFunction:live/invocations", exchange -> {
            invocationTypes.add(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
            events.add(new ObjectMapper().readTree(exchange.getRequestBody()));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        lambda.start();
    }

    @AfterEach
    void stop() {
        lambda.stop(0);
    }

    private String run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.addAll(List.of("--region", "ap-east-1", "--function", "siyu-prod-SchedulerFunction:live",
                "--lambda", "http://127.0.0.1:" + lambda.getAddress().getPort()));
        int code = Main.run(argv.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), ApplyCommandTest.ROOT);
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void massSendStartsTheCampaignInTheDeployedScheduler() {
        String out = run(0, "mass-send", "--campaign", "double12_preview", "--text", "The preview opens at 20:00",
                "--content", "promotional", "--tags", "high_intent", "--stages", "growth,mature");

        assertThat(out).contains("started in siyu-prod-SchedulerFunction:live");
        // Asynchronous, as a schedule invokes it: Lambda retries a run that found the campaign's lease held.
        assertThat(invocationTypes).containsExactly("Event");
        JsonNode event = events.get(0);
        assertThat(event.path("job").asText()).isEqualTo("mass_send");
        assertThat(event.path("input").path("campaign").asText()).isEqualTo("double12_preview");
        assertThat(event.path("input").path("content").asText()).isEqualTo("promotional");
        assertThat(event.path("input").path("segment").path("tags").toString()).isEqualTo("[\"high_intent\"]");
        assertThat(event.path("input").path("segment").path("stages").toString()).isEqualTo("[\"growth\",\"mature\"]");
    }

    @Test
    void transferWithWaitPrintsTheSchedulersSummary() {
        status = 200;
        answer = "{\"job\":\"transfer_customers\",\"result\":{\"requested\":2}}";

        String out = run(0, "transfer", "--from", "zhangsan", "--to", "lisi", "--customers", "wm1, wm2", "--wait");

        assertThat(out).contains("\"requested\":2");
        assertThat(invocationTypes).containsExactly("RequestResponse");
        assertThat(events.get(0).path("input").toString())
                .isEqualTo("{\"handover\":\"zhangsan\",\"takeover\":\"lisi\",\"external_userids\":[\"wm1\",\"wm2\"]}");
    }

    @Test
    void aTransferOfMoreThanAHundredIsRefusedBeforeAnythingIsInvoked() {
        String many = String.join(",", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "wm" + i).toList());
        assertThat(run(2, "transfer", "--from", "zhangsan", "--to", "lisi", "--customers", many)).contains("1 to 100");
        assertThat(events).isEmpty();
    }

    @Test
    void aFailedRunSaysWhy() {
        status = 200;
        answer = "{\"errorMessage\":\"campaign x is being sent by another run; try again later\"}";
        lambda.removeContext("/2015-03-31/functions/siyu-prod-SchedulerFunction:live/invocations");
        lambda.createContext("/2015-03-31/functions/siyu-prod-SchedulerFunction:live/invocations", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        assertThat(run(1, "mass-send", "--campaign", "x", "--text", "hi", "--wait")).contains("being sent by another run");
    }
}
