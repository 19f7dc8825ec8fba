package dev.siyu.core.journey;

import dev.siyu.core.timer.DueStep;
import java.time.Instant;
import java.util.Map;

/** Builds the queue message for a run's step. */
final class StepDue {
    private StepDue() {
    }

    static DueStep of(JourneyRun run, int step, Instant dueAt) {
        return new DueStep(run.tenant(), run.customerId(), run.journey(), run.runId(), step, dueAt,
                Map.of("version", Long.toString(run.version())));
    }
}
