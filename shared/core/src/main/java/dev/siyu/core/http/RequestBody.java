package dev.siyu.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An HTTP request body as API Gateway hands it over: text, or base64 when isBase64Encoded is set. */
public final class RequestBody {
    private RequestBody() {
    }

    /**
     * The body's bytes; none for a missing body.
     *
     * @throws IllegalArgumentException when it is marked base64 but is not
     */
    public static byte[] bytes(String body, boolean base64) {
        if (body == null) {
            return new byte[0];
        }
        return base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
