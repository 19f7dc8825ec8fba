package dev.siyu.embedded;

import dev.siyu.wecom.CallbackEncryptor;
import dev.siyu.wecom.EncryptedCallback;
import dev.siyu.wecom.WeComSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Callbacks as WeCom sends them (encrypted, signed) and their delivery to a gateway over HTTP. */
public final class SignedCallbacks {
    /** Where WeCom posts callbacks: the gateway's route and the function's HTTP API path. */
    public static final String ROUTE = "/wecom/callback";

    private final CallbackEncryptor encryptor;
    private final AtomicLong nonce = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SignedCallbacks(WeComSettings settings) {
        this.encryptor = new CallbackEncryptor(settings);
    }

    public EncryptedCallback encrypt(String plaintextXml) {
        return encryptor.encrypt(plaintextXml, Long.toString(System.currentTimeMillis() / 1000),
                Long.toString(nonce.incrementAndGet()));
    }

    public record Reply(int status, String body) { }

    /** POSTs the callback to {@code baseUrl}/wecom/callback with its signature in the query, as WeCom does. */
    public Reply post(String baseUrl, EncryptedCallback callback) throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + ROUTE + "?" + queryString(callback.query()));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(callback.body(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    public static String queryString(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
