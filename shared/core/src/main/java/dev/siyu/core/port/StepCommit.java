package dev.siyu.core.port;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a journey step leaves behind, written at once ({@link CustomerSnapshots#commitStep}): the run's move
 * and the step's events and touch records (settled intents among them). Either all of it lands or none of it,
 * so a takeover after a crash never finds the events of a step whose run did not move. A profile change goes
 * through {@link CustomerStore#update} before it (applied to the latest copy, so applying it twice is harmless).
 */
public record StepCommit(RunChange run, List<TimelineEvent> events, List<TouchRecord> touches) {
    public StepCommit {
        Objects.requireNonNull(run, "run");
        events = List.copyOf(events);
        touches = List.copyOf(touches);
    }

    /**
     * @param owner  the lease the commit needs (null: the step was not leased, and nobody may hold it)
     * @param next   the step the run moves to (equal to step: it stays, e.g. deferred)
     * @param endAs  COMPLETED or EXITED when the run ends here, else null
     * @param at     when: the run's {@code steppedAt}, its end time
     */
    public record RunChange(String tenant, String customerId, String journey, String runId, int step, String owner,
                            int next, JourneyRun.Status endAs, String endReason, Instant at) {
        public RunChange {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(journey, "journey");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(at, "at");
            if (step < 0 || next < step) {
                throw new IllegalArgumentException("a run moves forward from step >= 0: " + step + " -> " + next);
            }
            if (endAs == JourneyRun.Status.ACTIVE) {
                throw new IllegalArgumentException("a run ends as COMPLETED or EXITED");
            }
        }

        /** The run as this change leaves it, from the run as it was (for stores that hold whole runs). */
        public JourneyRun applyTo(JourneyRun r) {
            JourneyRun moved = next == step ? r.steppedTo(step, r.steppedAt()) : r.steppedTo(next, at);
            return endAs == null ? moved : moved.ended(endAs, endReason, at);
        }

        /** True when the run r, as read at {@code at}, accepts this change. */
        public boolean acceptedBy(JourneyRun r) {
            if (!r.active() || r.step() != step) {
                return false;
            }
            return owner == null ? !r.leasedToOther(null, at) : owner.equals(r.leaseOwner());
        }
    }
}
