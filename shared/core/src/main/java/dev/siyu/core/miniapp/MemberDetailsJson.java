package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link MemberDetails} as the one JSON document a store keeps (the version is the store's own attribute). */
public final class MemberDetailsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberDetailsJson() {
    }

    public static String write(MemberDetails d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("customer_id", d.customerId());
        put(o, "gender", d.gender());
        put(o, "date_of_birth", d.dateOfBirth() == null ? null : d.dateOfBirth().toString());
        put(o, "address", d.address());
        put(o, "language", d.language());
        put(o, "time_zone", d.timeZone());
        put(o, "phone_sealed", d.phoneSealed());
        put(o, "phone_masked", d.phoneMasked());
        ObjectNode cs = o.putObject("consents");
        d.consents().forEach((k, c) -> cs.putObject(k).put("granted", c.granted()).put("policy_version",
                c.policyVersion()).put("at", c.at().toString()).put("channel", c.channel()));
        var ns = o.putArray("notifications");
        for (MemberDetails.Notification n : d.notifications()) {
            ns.addObject().put("id", n.id()).put("kind", n.kind()).put("title", n.title()).put("body", n.body())
                    .put("at", n.at().toString()).put("read", n.read());
        }
        return o.toString();
    }

    public static MemberDetails read(String json, long version) {
        try {
            JsonNode o = JSON.readTree(json);
            Map<String, MemberDetails.ConsentRecord> consents = new LinkedHashMap<>();
            o.path("consents").fields().forEachRemaining(e -> consents.put(e.getKey(), new MemberDetails.ConsentRecord(
                    e.getKey(), e.getValue().path("granted").asBoolean(), text(e.getValue(), "policy_version"),
                    Instant.parse(e.getValue().path("at").asText()), text(e.getValue(), "channel"))));
            List<MemberDetails.Notification> ns = new ArrayList<>();
            for (JsonNode n : o.path("notifications")) {
                ns.add(new MemberDetails.Notification(text(n, "id"), text(n, "kind"), text(n, "title"),
                        text(n, "body"), Instant.parse(n.path("at").asText()), n.path("read").asBoolean()));
            }
            String dob = text(o, "date_of_birth");
            return new MemberDetails(text(o, "customer_id"), text(o, "gender"), dob == null ? null : LocalDate.parse(dob),
                    text(o, "address"), text(o, "language"), text(o, "time_zone"), text(o, "phone_sealed"),
                    text(o, "phone_masked"), consents, ns, version);
        } catch (IOException e) {
            throw new UncheckedIOException("stored member details are not JSON", e);
        }
    }

    private static void put(ObjectNode o, String k, String v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    private static String text(JsonNode o, String k) {
        JsonNode v = o.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }
}
