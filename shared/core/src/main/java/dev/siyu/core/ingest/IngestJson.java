package dev.siyu.core.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.member.Identity;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.profile.IdentityType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks an order or an event body. Every problem is a {@link BadInput} naming the field, raised
 * before anything is written: missing fields, wrong types, over-long strings, dates that are no ISO-8601
 * instant with an offset (or in the future), amounts that are no decimal string, a currency other than the
 * blueprint's, unknown kinds and unknown keys (a misspelt field is refused, not ignored).
 */
public final class IngestJson {
    /** Keys of {@code customer} and the identity each names. */
    public static final Map<String, IdentityType> CUSTOMER_KEYS = customerKeys();
    static final int MAX_ID = 64;
    static final int MAX_IDENTITY = 128;
    static final int MAX_TEXT = 512;
    static final int MAX_LINES = 200;
    static final int MAX_REFUNDS = 50;
    static final int MAX_QUANTITY = 100_000;
    /** Clocks of tills drift; an order further ahead than this is a wrong date, not a skew. */
    static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,10}(\\.\\d{1,2})?");
    private static final Set<String> ORDER_KEYS = Set.of("order_id", "customer", "amount", "currency", "at", "lines",
            "refunds", "store_id");
    private static final Set<String> LINE_KEYS = Set.of("sku", "category", "quantity", "amount");
    private static final Set<String> REFUND_KEYS = Set.of("refund_id", "amount", "at");
    private static final Set<String> EVENT_KEYS = Set.of("event_id", "customer", "kind", "at", "url", "campaign");

    private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final IdentityKeys keys;
    private final String currency;

    /** @param currency the only currency orders may be in (the blueprint's membership currency) */
    public IngestJson(IdentityKeys keys, String currency) {
        this.keys = keys;
        this.currency = currency;
    }

    public Order order(String source, byte[] body, Instant now) {
        JsonNode root = object(body);
        allowOnly(root, ORDER_KEYS, "");
        String orderId = id(root, "order_id");
        List<Identity> identities = customer(root.get("customer"));
        BigDecimal amount = amount(root.get("amount"), "amount");
        String cur = text(root.get("currency"), "currency", 3, true);
        if (!cur.equals(currency)) {
            throw new BadInput("currency", "'" + cur + "' is not the currency orders are taken in (" + currency + ")");
        }
        Instant at = instant(root.get("at"), "at", now);
        String storeId = root.has("store_id") ? text(root.get("store_id"), "store_id", MAX_ID, true) : null;
        JsonNode lines = array(root.get("lines"), "lines", 1, MAX_LINES);
        List<Order.Line> ls = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String f = "lines[" + i + "]";
            JsonNode l = lines.get(i);
            if (!l.isObject()) {
                throw new BadInput(f, "must be an object with sku, category, quantity and amount");
            }
            allowOnly(l, LINE_KEYS, f + ".");
            String sku = text(l.get("sku"), f + ".sku", MAX_ID, true);
            String category = text(l.get("category"), f + ".category", MAX_ID, true);
            JsonNode q = l.get("quantity");
            if (q == null || q.isNull()) {
                throw new BadInput(f + ".quantity", "is missing");
            }
            if (!q.isIntegralNumber() || q.asLong() < 1 || q.asLong() > MAX_QUANTITY) {
                throw new BadInput(f + ".quantity", "must be a whole number from 1 to " + MAX_QUANTITY);
            }
            ls.add(new Order.Line(sku, category, q.asInt(), amount(l.get("amount"), f + ".amount")));
        }
        List<Order.Refund> refunds = new ArrayList<>();
        if (root.has("refunds")) {
            JsonNode rs = array(root.get("refunds"), "refunds", 0, MAX_REFUNDS);
            BigDecimal refunded = BigDecimal.ZERO;
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < rs.size(); i++) {
                String f = "refunds[" + i + "]";
                JsonNode r = rs.get(i);
                if (!r.isObject()) {
                    throw new BadInput(f, "must be an object with refund_id, amount and at");
                }
                allowOnly(r, REFUND_KEYS, f + ".");
                String refundId = id(r, "refund_id", f + ".refund_id");
                if (!seen.add(refundId)) {
                    throw new BadInput(f + ".refund_id", "'" + refundId + "' appears twice");
                }
                BigDecimal ra = amount(r.get("amount"), f + ".amount");
                refunded = refunded.add(ra);
                if (refunded.compareTo(amount) > 0) {
                    throw new BadInput(f + ".amount", "refunds add up to more than the order's amount");
                }
                Instant rat = instant(r.get("at"), f + ".at", now);
                if (rat.isBefore(at)) {
                    throw new BadInput(f + ".at", "a refund cannot come before its order");
                }
                refunds.add(new Order.Refund(refundId, ra, rat));
            }
        }
        return new Order(source, orderId, identities, amount, cur, at, storeId, ls, refunds);
    }

    public Interaction interaction(String source, byte[] body, Instant now) {
        JsonNode root = object(body);
        allowOnly(root, EVENT_KEYS, "");
        String eventId = id(root, "event_id");
        List<Identity> identities = customer(root.get("customer"));
        String kind = text(root.get("kind"), "kind", MAX_ID, true);
        if (!Interaction.KINDS.contains(kind)) {
            throw new BadInput("kind", "'" + kind + "' is not one of " + String.join(", ", Interaction.KINDS));
        }
        Instant at = instant(root.get("at"), "at", now);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", kind);
        details.put("source", source);
        for (String k : List.of("url", "campaign")) {
            if (root.has(k)) {
                details.put(k, text(root.get(k), k, MAX_TEXT, true));
            }
        }
        return new Interaction(source, eventId, identities, kind, at, details);
    }

    private JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInput("body", "is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new BadInput("body", "could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new BadInput("body", "must be a JSON object");
        }
        return root;
    }

    private List<Identity> customer(JsonNode c) {
        if (c == null || c.isNull()) {
            throw new BadInput("customer", "is missing (give one of " + String.join(", ", CUSTOMER_KEYS.keySet()) + ")");
        }
        if (!c.isObject()) {
            throw new BadInput("customer", "must be an object such as {\"pos_member_id\": \"...\"}");
        }
        allowOnly(c, CUSTOMER_KEYS.keySet(), "customer.");
        List<Identity> ids = new ArrayList<>();
        // The order a sender lists them in: the first names a new customer.
        Iterator<String> names = c.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            String f = "customer." + k;
            String raw = text(c.get(k), f, MAX_IDENTITY, true);
            IdentityType type = CUSTOMER_KEYS.get(k);
            if (type == IdentityType.EMAIL && (!raw.contains("@") || raw.indexOf('@') == 0
                    || raw.indexOf('@') == raw.length() - 1)) {
                throw new BadInput(f, "is not an email address");
            }
            ids.add(keys.of(type, raw).orElseThrow(() -> new BadInput(f, type == IdentityType.PHONE
                    ? "is not a phone number (E.164 such as +8613800138000)" : "is not valid")));
        }
        if (ids.isEmpty()) {
            throw new BadInput("customer", "needs one of " + String.join(", ", CUSTOMER_KEYS.keySet()));
        }
        return ids;
    }

    private static void allowOnly(JsonNode node, Set<String> known, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!known.contains(k)) {
                throw new BadInput(prefix + k, "is not a known field (known: " + String.join(", ",
                        new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static String id(JsonNode parent, String field) {
        return id(parent, field, field);
    }

    private static String id(JsonNode parent, String key, String field) {
        String v = text(parent.get(key), field, MAX_ID, true);
        if (!ID.matcher(v).matches()) {
            throw new BadInput(field, "may hold only letters, digits and . _ : - (at most " + MAX_ID + ")");
        }
        return v;
    }

    private static String text(JsonNode n, String field, int max, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                throw new BadInput(field, "is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new BadInput(field, "must be a string, got " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String v = n.asText();
        if (v.isBlank()) {
            throw new BadInput(field, "must not be empty");
        }
        if (v.codePointCount(0, v.length()) > max) {
            throw new BadInput(field, "is longer than " + max + " characters");
        }
        return v;
    }

    private static BigDecimal amount(JsonNode n, String field) {
        if (n != null && n.isNumber()) {
            throw new BadInput(field, "must be a decimal string such as \"388.00\", not a number");
        }
        String v = text(n, field, 16, true);
        if (!AMOUNT.matcher(v).matches()) {
            throw new BadInput(field, "'" + v + "' is not an amount such as \"388.00\"");
        }
        return new BigDecimal(v);
    }

    private static Instant instant(JsonNode n, String field, Instant now) {
        String v = text(n, field, 40, true);
        Instant at;
        try {
            at = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadInput(field, "'" + v + "' is not an ISO-8601 time with an offset, such as "
                    + "2026-12-05T10:15:00+08:00");
        }
        if (at.isAfter(now.plus(FUTURE_SKEW))) {
            throw new BadInput(field, "'" + v + "' is in the future");
        }
        return at;
    }

    private static JsonNode array(JsonNode n, String field, int min, int max) {
        if (n == null || n.isNull()) {
            throw new BadInput(field, "is missing");
        }
        if (!n.isArray()) {
            throw new BadInput(field, "must be a list");
        }
        if (n.size() < min || n.size() > max) {
            throw new BadInput(field, "must hold " + min + " to " + max + " entries, got " + n.size());
        }
        return n;
    }

    private static Map<String, IdentityType> customerKeys() {
        Map<String, IdentityType> m = new LinkedHashMap<>();
        m.put("openid", IdentityType.OPENID);
        m.put("unionid", IdentityType.UNIONID);
        m.put("phone", IdentityType.PHONE);
        m.put("external_userid", IdentityType.EXTERNAL_USERID);
        m.put("pos_member_id", IdentityType.POS);
        m.put("email", IdentityType.EMAIL);
        return java.util.Collections.unmodifiableMap(m);
    }
}
