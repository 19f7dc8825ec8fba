package dev.siyu.core.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.MemberServices;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HTTP face of {@code POST /ingest/orders} and {@code POST /ingest/events}, however the request arrives (an
 * API Gateway event, the local gateway, the simulator in process). In order: size, source and signature (an
 * HMAC-SHA256 of the raw body under the source's secret, compared in constant time), then the body's fields,
 * then the write. Everything refused is refused before anything is written: 413 never, 400 naming the field,
 * 401 for a source or signature that does not check out.
 */
public final class IngestEndpoint {
    public static final String ORDERS = "/ingest/orders";
    public static final String EVENTS = "/ingest/events";
    public static final String SOURCE_HEADER = "x-siyu-source";
    public static final String SIGNATURE_HEADER = "x-siyu-signature";
    /** An order of 200 lines is about 20 KB; a body beyond this is refused before it is parsed or verified. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9_]{1,32}");
    private static final Pattern SIGNATURE = Pattern.compile("sha256=([0-9a-fA-F]{64})");
    private static final System.Logger LOG = System.getLogger(IngestEndpoint.class.getName());

    private final SourceSecrets secrets;
    private final Supplier<MemberServices> members;
    private final ObjectMapper json = new ObjectMapper();

    /** members is asked per request: a function follows the tenant's current blueprint. */
    public IngestEndpoint(SourceSecrets secrets, Supplier<MemberServices> members) {
        this.secrets = secrets;
        this.members = members;
    }

    public Reply handle(dev.siyu.core.http.HttpRequest request) {
        String path = request.path();
        if (!ORDERS.equals(path) && !EVENTS.equals(path)) {
            return error(404, "path", "no route " + path);
        }
        if (!"POST".equalsIgnoreCase(request.method())) {
            return error(405, "method", "only POST is accepted");
        }
        byte[] body;
        try {
            body = request.bodyBytes();
        } catch (IllegalArgumentException e) {
            return error(400, "body", "is marked base64 but is not valid base64");
        }
        if (body.length > MAX_BODY_BYTES) {
            return rejected(400, "body", "is " + body.length + " bytes, over the " + MAX_BODY_BYTES + " byte limit",
                    null);
        }
        String source = request.header(SOURCE_HEADER).map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (!SOURCE.matcher(source).matches()) {
            return rejected(401, SOURCE_HEADER, "names no source", null);
        }
        Optional<byte[]> secret = secrets.secret(source);
        if (secret.isEmpty()) {
            return rejected(401, SOURCE_HEADER, "names no configured source", source);
        }
        if (!signed(body, secret.get(), request.header(SIGNATURE_HEADER).orElse(""))) {
            return rejected(401, SIGNATURE_HEADER, "does not match the body (sha256=<hex HMAC-SHA256 of the body "
                    + "under the source's secret>)", source);
        }
        MemberServices m = members.get();
        try {
            if (ORDERS.equals(path)) {
                Order order = m.json().order(source, body, m.engine().clock().instant());
                OrderIngest.Outcome o = m.orders().ingest(order);
                if ("unlinked".equals(o.status())) {
                    return error(422, "customer", "no identity given can be linked to a customer ("
                            + String.join(", ", o.refused()) + ")");
                }
                ObjectNode out = json.createObjectNode();
                out.put("status", o.status());
                out.put("order_id", order.orderId());
                out.put("customer_id", o.customerId());
                out.put("points", o.points());
                out.put("balance", o.balance());
                out.put("tier", o.tier());
                out.put("refunds_applied", o.refunds());
                return new Reply(200, out.toString());
            }
            Interaction e = m.json().interaction(source, body, m.engine().clock().instant());
            Optional<String> customer = m.events().ingest(e);
            ObjectNode out = json.createObjectNode();
            out.put("status", customer.isPresent() ? "recorded" : "unknown_customer");
            out.put("event_id", e.eventId());
            customer.ifPresent(c -> out.put("customer_id", c));
            return new Reply(200, out.toString());
        } catch (BadInput bad) {
            return rejected(400, bad.field(), bad.reason(), source);
        } catch (RuntimeException failed) {
            // Nothing half-done stays wrong: the ledger entry is the commit point and a retry finishes the rest.
            LOG.log(Level.ERROR, JsonLog.line("ingest failed", "path", path, "source", source,
                    "error", failed.getClass().getName()), failed);
            return error(500, "server", "temporarily unable to record; send the same request again");
        }
    }

    /** True when signature is sha256=<hex> of HMAC-SHA256(secret, body), compared in constant time. */
    static boolean signed(byte[] body, byte[] secret, String signature) {
        var m = SIGNATURE.matcher(signature.trim());
        if (!m.matches()) {
            return false;
        }
        byte[] given = HexFormat.of().parseHex(m.group(1).toLowerCase(Locale.ROOT));
        return MessageDigest.isEqual(hmac(secret, body), given);
    }

    /** HMAC-SHA256 of body under secret: what a sender signs with. */
    public static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** The X-Siyu-Signature value for body. */
    public static String signature(byte[] secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
    }

    private Reply rejected(int status, String field, String reason, String source) {
        LOG.log(Level.WARNING, JsonLog.line("ingest rejected", "status", status, "field", field,
                "source", String.valueOf(source)));
        return error(status, field, reason);
    }

    private Reply error(int status, String field, String message) {
        ObjectNode out = json.createObjectNode();
        out.put("error", status == 400 ? "bad_request" : status == 401 ? "unauthorized" : status == 422
                ? "unprocessable" : status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : "server_error");
        out.put("field", field);
        out.put("message", field + " " + message);
        return new Reply(status, out.toString());
    }

    public record Reply(int status, String body) { }
}
