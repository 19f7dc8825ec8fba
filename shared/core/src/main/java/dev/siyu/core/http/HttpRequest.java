package dev.siyu.core.http;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the suite's JSON endpoints need it, however it arrived (API Gateway's event, the local
 * gateway, the simulator): headers by any case, the body as API Gateway hands it over (base64 when
 * isBase64Encoded is set).
 */
public record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                          String body, boolean base64) {
    public HttpRequest {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        headers = h;
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    /** A request whose route reads no query string. */
    public HttpRequest(String method, String path, Map<String, String> headers, String body, boolean base64) {
        this(method, path, Map.of(), headers, body, base64);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /**
     * The body's bytes; none for a missing body.
     *
     * @throws IllegalArgumentException when it is marked base64 but is not
     */
    public byte[] bodyBytes() {
        return RequestBody.bytes(body, base64);
    }
}
