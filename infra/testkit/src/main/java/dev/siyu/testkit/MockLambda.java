package dev.siyu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Invokes the function under test the way Lambda would, through Quarkus' mock event server
 * ({@code quarkus.lambda.mock-event-server.test-port}, 8081 unless a test changes it): the body is
 * the event, the answer is what the function returned, or Funqy's error document with status 500.
 */
public final class MockLambda {
    public static final int DEFAULT_PORT = 8081;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    public MockLambda(int port) {
        this.uri = URI.create("http://localhost:" + port + "/_lambda_");
    }

    public MockLambda() {
        this(DEFAULT_PORT);
    }

    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status == 200;
        }
    }

    public Reply invoke(String eventJson) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(eventJson)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Reply(response.statusCode(), body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException("invoking the function at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking the function", e);
        }
    }

    public Reply invoke(JsonNode event) {
        return invoke(event.toString());
    }
}
