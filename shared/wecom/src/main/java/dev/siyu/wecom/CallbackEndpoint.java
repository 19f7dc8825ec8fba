package dev.siyu.wecom;

import dev.siyu.core.callback.CallbackOutcome;
import dev.siyu.core.callback.CallbackProcessor;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.log.JsonLog;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HTTP face of the WeCom callback, independent of how the request arrives (API Gateway event,
 * local gateway): GET answers WeCom's URL verification, POST verifies, decrypts and processes one
 * event. Every rejection happens before anything is written.
 */
public final class CallbackEndpoint {
    /**
     * WeCom callbacks are a few hundred bytes to a few KB (an envelope of ToUserName, AgentID and the
     * encrypted event; a group update listing many joined members is the largest). The envelope is parsed
     * before its signature can be checked, so what an unauthenticated sender may make us parse stays small:
     * 16 KB holds a group update listing about 200 members, and is read as a stream, never as a tree.
     */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    private static final System.Logger LOG = System.getLogger(CallbackEndpoint.class.getName());

    private final CallbackVerifier verifier;
    private final java.util.function.Supplier<CallbackProcessor> processor;

    public CallbackEndpoint(CallbackVerifier verifier, CallbackProcessor processor) {
        this(verifier, () -> processor);
    }

    /** processor is asked per event: a function follows the tenant's current config (TenantEngines). */
    public CallbackEndpoint(CallbackVerifier verifier, java.util.function.Supplier<CallbackProcessor> processor) {
        this.verifier = verifier;
        this.processor = processor;
    }

    public Reply handle(Request request) {
        try {
            if ("GET".equalsIgnoreCase(request.method())) {
                return new Reply(200, verifier.verifyUrl(request.query()));
            }
            if (!"POST".equalsIgnoreCase(request.method())) {
                return new Reply(405, "method not allowed: " + request.method());
            }
            byte[] body = request.bodyBytes();
            if (body.length > MAX_BODY_BYTES) {
                LOG.log(Level.WARNING, JsonLog.line("callback rejected", "status", 413, "bytes", body.length));
                return new Reply(413, "body of " + body.length + " bytes exceeds the " + MAX_BODY_BYTES + " byte limit");
            }
            WeComEvent event = verifier.verify(request.query(), new String(body, StandardCharsets.UTF_8));
            CallbackOutcome outcome = processor.get().process(event);
            if (outcome.inProgress()) {
                // Not "success": WeCom retries, and by then the attempt holding the lease has finished (the
                // retry is answered as a duplicate) or died (its lease ran out and the retry takes over).
                LOG.log(Level.INFO, JsonLog.line("callback in progress", "kind", outcome.kind()));
                return new Reply(503, "callback in progress; retry later");
            }
            LOG.log(Level.INFO, JsonLog.line("callback processed", "kind", outcome.kind(), "duplicate",
                    outcome.duplicate(), "customer", String.valueOf(outcome.customerId())));
            // WeCom only needs a 200 within 5 s; "success" is what its docs show.
            return new Reply(200, "success");
        } catch (CallbackRejected e) {
            LOG.log(Level.WARNING, JsonLog.line("callback rejected", "status", e.httpStatus(), "reason", e.reason()));
            return new Reply(e.httpStatus(), e.reason());
        } catch (RuntimeException e) {
            // The processor gave its claim back (or its lease runs out): a 500 makes WeCom retry, and the
            // retry is processed.
            LOG.log(Level.ERROR, JsonLog.line("callback failed", "error", e.toString()), e);
            return new Reply(500, "temporarily unable to process the callback; WeCom will retry");
        }
    }

    /** An HTTP request as the endpoint needs it; base64 is API Gateway's isBase64Encoded. */
    public record Request(String method, Map<String, String> query, String body, boolean base64) {
        public Request {
            query = query == null ? Map.of() : Map.copyOf(query);
        }

        byte[] bodyBytes() {
            try {
                return dev.siyu.core.http.RequestBody.bytes(body, base64);
            } catch (IllegalArgumentException e) {
                throw CallbackRejected.badRequest("body is marked base64 but is not valid base64", e);
            }
        }
    }

    public record Reply(int status, String body) { }
}
