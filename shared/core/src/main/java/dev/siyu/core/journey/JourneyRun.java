package dev.siyu.core.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One customer's pass through one journey (stored as item {@code J#<journey>#<runId>}). {@code step}
 * is the index of the next step to run; the worker claims it with a conditional update
 * {@code step = i -> i+1}, so a redelivered step has no second effect.
 *
 * @param version the config version the run started on: the run keeps its steps when the journey is edited
 * @param anchor  what the steps' delays count from (the add, the purchase, the last interaction)
 * @param cycle   the consumption cycle for cycle-relative delays; null when none
 * @param endReason completed, exited: &lt;why&gt;, superseded
 */
public record JourneyRun(String tenant, String customerId, String journey, String runId, long version, int step,
                         Instant anchor, Duration cycle, Instant startedAt, Status status, Instant endedAt,
                         String endReason, Instant goalReachedAt) {
    public enum Status { ACTIVE, COMPLETED, EXITED }

    public JourneyRun {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(journey, "journey");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(status, "status");
    }

    public static JourneyRun start(String tenant, String customerId, String journey, String runId, long version,
                                   Instant anchor, Duration cycle, Instant now) {
        return new JourneyRun(tenant, customerId, journey, runId, version, 0, anchor, cycle, now, Status.ACTIVE, null,
                null, null);
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    public JourneyRun atStep(int next) {
        return new JourneyRun(tenant, customerId, journey, runId, version, next, anchor, cycle, startedAt, status,
                endedAt, endReason, goalReachedAt);
    }

    public JourneyRun ended(Status how, String reason, Instant at) {
        return new JourneyRun(tenant, customerId, journey, runId, version, step, anchor, cycle, startedAt, how, at,
                reason, goalReachedAt);
    }

    public JourneyRun goalReached(Instant at) {
        return new JourneyRun(tenant, customerId, journey, runId, version, step, anchor, cycle, startedAt, status,
                endedAt, endReason, at);
    }
}
