package dev.siyu.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a dead letter is about, in the operator's words: tenant, customer, journey, run and step for a
 * journey step ({@link DueStepJson}); tenant, customer and trigger kind for a journey trigger
 * ({@link JourneyTriggerJson}); the job for a scheduled job, whether EventBridge Scheduler parked its
 * input or Lambda's on-failure destination parked an invocation record around it.
 */
public final class DeadLetterSummary {
    private final ObjectMapper mapper;

    public DeadLetterSummary(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Map<String, String> of(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            out.put("body", body.length() > 80 ? body.substring(0, 80) + "..." : body);
            return out;
        }
        if (node == null || !node.isObject()) {
            out.put("body", String.valueOf(body));
            return out;
        }
        if (node.has("requestPayload")) {
            // Lambda's asynchronous invocation record: the job is inside, the error beside it
            put(out, "job", node.path("requestPayload").path("job"));
            put(out, "error", node.path("responsePayload").path("errorMessage"));
            put(out, "condition", node.path("requestContext").path("condition"));
            return out;
        }
        put(out, "job", node.path("job"));
        put(out, "tenant", node.path("tenant"));
        put(out, "customer", node.path("customerId"));
        put(out, "journey", node.path("journey"));
        put(out, "run", node.path("runId"));
        put(out, "step", node.path("step"));
        put(out, "trigger", node.path("kind"));
        return out;
    }

    /** One line: key=value pairs in the order above. */
    public String line(String body) {
        StringBuilder b = new StringBuilder();
        of(body).forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    private static void put(Map<String, String> out, String key, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull()) {
            out.put(key, value.asText());
        }
    }
}
