package dev.siyu.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQS body of a journey trigger: the record's component names, {@code at} as ISO-8601 text.
 * Written field by field rather than by data binding so the wire format does not depend on which
 * Jackson modules a mapper has (Quarkus' mapper reads it back into {@link JourneyTrigger} as is).
 */
public final class JourneyTriggerJson {
    private final ObjectMapper mapper;

    public JourneyTriggerJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(JourneyTrigger t) {
        ObjectNode node = mapper.createObjectNode();
        node.put("tenant", t.tenant());
        node.put("customerId", t.customerId());
        node.put("kind", t.kind());
        node.put("at", t.at() == null ? null : t.at().toString());
        ObjectNode details = node.putObject("details");
        t.details().forEach(details::put);
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("journey trigger not serialisable", e);
        }
    }

    public JourneyTrigger read(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            Map<String, String> details = new LinkedHashMap<>();
            JsonNode d = node.path("details");
            d.fieldNames().forEachRemaining(name -> details.put(name, d.get(name).asText()));
            String at = text(node, "at");
            return new JourneyTrigger(text(node, "tenant"), text(node, "customerId"), text(node, "kind"),
                    at == null ? null : Instant.parse(at), details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a journey trigger: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
