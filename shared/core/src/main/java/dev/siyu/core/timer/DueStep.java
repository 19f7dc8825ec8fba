package dev.siyu.core.timer;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One journey step that should run at {@code dueAt}: what the step queue carries and what a timer
 * item stores. {@code step} is the run's step index the worker claims ({@code step = i -> i+1}), so
 * a step handed over twice has no second effect.
 */
public record DueStep(String tenant, String customerId, String journey, String runId, int step,
                      Instant dueAt, Map<String, String> payload) {
    public DueStep {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(journey, "journey");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(dueAt, "dueAt");
        if (step < 0) {
            throw new IllegalArgumentException("step index must be >= 0: " + step);
        }
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }

    /**
     * Unique per run and step; a run schedules each step index once. Run ids are unique only within one
     * customer's journey (they are derived from the trigger's time), so the id names all four.
     */
    public String id() {
        return tenant + "#" + customerId + "#" + journey + "#" + runId + "#" + step;
    }
}
