package dev.siyu.core.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One step: due at the run's anchor plus {@code delay} (plus the consumption cycle when
 * {@code fromCycle}, so "cycle-7d" is fromCycle with delay -7d); runs its action when
 * {@code condition} holds (null: always), else is skipped.
 *
 * @param label the step as the operator wrote it ("72h: 1-on-1 needs diagnosis"), shown on the timeline
 */
public record JourneyStep(String label, Duration delay, boolean fromCycle, String condition, Action action) {
    public JourneyStep {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
    }

    /** When the step is due for a run anchored at anchor with the given cycle (null when none). */
    public Instant dueAt(Instant anchor, Duration cycle) {
        Instant base = fromCycle && cycle != null ? anchor.plus(cycle) : anchor;
        return base.plus(delay);
    }
}
