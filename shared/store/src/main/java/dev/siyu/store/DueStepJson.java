package dev.siyu.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.timer.DueStep;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQS body of a due step: the record's component names, {@code dueAt} as ISO-8601 text.
 * Field by field for the same reason as {@link JourneyTriggerJson}: the wire format must not depend
 * on the mapper's modules.
 */
public final class DueStepJson {
    private final ObjectMapper mapper;

    public DueStepJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(DueStep s) {
        ObjectNode node = mapper.createObjectNode();
        node.put("tenant", s.tenant());
        node.put("customerId", s.customerId());
        node.put("journey", s.journey());
        node.put("runId", s.runId());
        node.put("step", s.step());
        node.put("dueAt", s.dueAt().toString());
        ObjectNode payload = node.putObject("payload");
        s.payload().forEach(payload::put);
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("due step not serialisable", e);
        }
    }

    public DueStep read(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            Map<String, String> payload = new LinkedHashMap<>();
            JsonNode p = node.path("payload");
            p.fieldNames().forEachRemaining(name -> payload.put(name, p.get(name).asText()));
            return new DueStep(node.path("tenant").asText(), node.path("customerId").asText(),
                    node.path("journey").asText(), node.path("runId").asText(), node.path("step").asInt(),
                    Instant.parse(node.path("dueAt").asText()), payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a due step: " + e.getOriginalMessage(), e);
        }
    }
}
