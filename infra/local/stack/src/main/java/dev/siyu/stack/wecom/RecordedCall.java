package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One request the stub answered, as {@code GET /_calls} lists it.
 *
 * @param at         when the request arrived (the stub's clock)
 * @param api        the path after {@code /cgi-bin/}, e.g. {@code externalcontact/send_welcome_msg}
 * @param query      query parameters without {@code access_token}, so recordings are safe to print
 * @param body       the parsed JSON body, or null when there was none or it was not JSON
 * @param errcode    the errcode answered (-1 when an HTTP error status was injected)
 * @param httpStatus the HTTP status answered
 * @param touchId    the X-Siyu-Touch-Id header the call carried (the one delivery it is part of), or null
 */
public record RecordedCall(Instant at, String api, Map<String, String> query, JsonNode body, int errcode,
                           int httpStatus, String touchId) {

    public RecordedCall {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(api, "api");
        query = Map.copyOf(query);
    }

    /** A call that carried no touch id. */
    public RecordedCall(Instant at, String api, Map<String, String> query, JsonNode body, int errcode, int httpStatus) {
        this(at, api, query, body, errcode, httpStatus, null);
    }
}
