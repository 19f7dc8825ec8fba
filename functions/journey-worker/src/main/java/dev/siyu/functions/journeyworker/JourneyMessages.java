package dev.siyu.functions.journeyworker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.timer.DueStep;
import dev.siyu.store.DueStepJson;
import dev.siyu.store.JourneyTriggerJson;

/**
 * Reads a journey-queue body with the same codecs that wrote it ({@link DueStepJson},
 * {@link JourneyTriggerJson}): a body with {@code runId} and {@code step} is a due step, one with
 * {@code kind} a trigger. Anything else, or a message missing what the engine needs, is
 * {@link Unreadable}: retrying cannot fix it, but it still goes the failure path so it ends up in the
 * DLQ where someone can look at it, instead of being dropped.
 */
public final class JourneyMessages {
    private final ObjectMapper mapper;
    private final DueStepJson steps;
    private final JourneyTriggerJson triggers;

    public JourneyMessages(ObjectMapper mapper) {
        this.mapper = mapper;
        this.steps = new DueStepJson(mapper);
        this.triggers = new JourneyTriggerJson(mapper);
    }

    public static final class Unreadable extends RuntimeException {
        Unreadable(String why, Throwable cause) {
            super(why, cause);
        }
    }

    public JourneyMessage read(String body) {
        if (body == null || body.isBlank()) {
            throw new Unreadable("empty body", null);
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new Unreadable("not a JSON object", null);
        }
        try {
            if (node.hasNonNull("runId") && node.hasNonNull("step")) {
                requireText(node, "tenant", "customerId", "journey", "runId", "dueAt");
                if (!node.get("step").canConvertToInt()) {
                    throw new Unreadable("step is not a step index: " + node.get("step"), null);
                }
                DueStep step = steps.read(body);
                return new JourneyMessage.Step(step);
            }
            if (node.hasNonNull("kind")) {
                requireText(node, "tenant", "customerId", "kind", "at");
                JourneyTrigger trigger = triggers.read(body);
                return new JourneyMessage.Trigger(trigger);
            }
        } catch (Unreadable e) {
            throw e;
        } catch (RuntimeException e) {
            // DateTimeParseException, a negative step index, ...: the codecs' own complaint says which.
            throw new Unreadable(e.getMessage(), e);
        }
        throw new Unreadable("neither a due step (runId, step) nor a journey trigger (kind)", null);
    }

    private static void requireText(JsonNode node, String... fields) {
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw new Unreadable("missing " + f, null);
            }
        }
    }
}
