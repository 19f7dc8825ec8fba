package dev.siyu.functions.miniappapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.IngestEndpoint;
import dev.siyu.testkit.MockLambda;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP API (payload 2.0) events for the ingest routes, signed as a source system signs them, and their replies. */
final class Requests {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final MockLambda LAMBDA = new MockLambda(8087);

    private Requests() {
    }

    record Reply(int status, JsonNode body) { }

    static ObjectNode event(String path, Map<String, String> headers, String body) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "POST " + path);
        e.put("rawPath", path);
        e.set("headers", JSON.valueToTree(headers));
        e.putObject("requestContext").putObject("http").put("method", "POST").put("path", path);
        e.put("body", body);
        e.put("isBase64Encoded", false);
        return e;
    }

    static ObjectNode signed(String path, String source, String secret, String body) {
        return event(path, Map.of("content-type", "application/json", "x-siyu-source", source,
                "x-siyu-signature", IngestEndpoint.signature(secret.getBytes(StandardCharsets.UTF_8),
                        body.getBytes(StandardCharsets.UTF_8))), body);
    }

    static Reply invoke(JsonNode event) {
        MockLambda.Reply r = LAMBDA.invoke(event.toString());
        if (!r.ok()) {
            throw new AssertionError("the function failed: " + r.body());
        }
        try {
            return new Reply(r.body().path("statusCode").asInt(), JSON.readTree(r.body().path("body").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
