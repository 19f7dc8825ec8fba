package dev.siyu.core.journey;

import dev.siyu.core.timer.DueStep;
import java.time.Instant;
import java.util.Map;

/** Builds the queue message for a run's step. */
final class StepDue {
    private StepDue() {
    }

    /**
     * @param trigger the details of the event that started the run (e.g. the chat_id of the group joined),
     *                carried from step to step so actions can refer to them
     */
    static DueStep of(JourneyRun run, int step, Instant dueAt, Map<String, String> trigger) {
        Map<String, String> payload = new java.util.LinkedHashMap<>(trigger);
        payload.put("version", Long.toString(run.version()));
        return new DueStep(run.tenant(), run.customerId(), run.journey(), run.runId(), step, dueAt, payload);
    }
}
