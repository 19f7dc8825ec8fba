package dev.siyu.core.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One customer's pass through one journey (stored as item {@code J#<journey>#<runId>}). {@code step}
 * is the index of the next step to run. A worker leases step i before acting ({@code leaseOwner} until
 * {@code leaseUntil}) and its commit moves the run to i+1 and frees the lease in the same write as the
 * step's events, so a redelivered step has no second effect and a crashed worker's step is taken over once
 * the lease expires (docs/architecture.md, Journey step).
 *
 * @param leaseOwner the delivery working on {@code step} now (null: none)
 * @param leaseUntil when that lease lapses and another delivery may take the step over
 * @param steppedAt  when the run last moved to {@code step}: a delivery of the step before that finds it
 *                   still waiting long after schedules it again (the hand-off may have been lost)
 * @param version the config version the run started on: the run keeps its steps when the journey is edited
 * @param anchor  what the steps' delays count from (the add, the purchase, the last interaction)
 * @param cycle   the consumption cycle for cycle-relative delays; null when none
 * @param endReason completed, exited: &lt;why&gt;, superseded
 */
public record JourneyRun(String tenant, String customerId, String journey, String runId, long version, int step,
                         Instant anchor, Duration cycle, Instant startedAt, Status status, Instant endedAt,
                         String endReason, Instant goalReachedAt, String leaseOwner, Instant leaseUntil,
                         Instant steppedAt) {
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

    public JourneyRun(String tenant, String customerId, String journey, String runId, long version, int step,
                      Instant anchor, Duration cycle, Instant startedAt, Status status, Instant endedAt,
                      String endReason, Instant goalReachedAt) {
        this(tenant, customerId, journey, runId, version, step, anchor, cycle, startedAt, status, endedAt, endReason,
                goalReachedAt, null, null, null);
    }

    /** True when a delivery other than owner holds the step now. */
    public boolean leasedToOther(String owner, Instant now) {
        return leaseOwner != null && !leaseOwner.equals(owner) && leaseUntil != null && leaseUntil.isAfter(now);
    }

    public JourneyRun leased(String owner, Instant until) {
        return new JourneyRun(tenant, customerId, journey, runId, version, step, anchor, cycle, startedAt, status,
                endedAt, endReason, goalReachedAt, owner, until, steppedAt);
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
                endedAt, endReason, goalReachedAt, null, null, steppedAt);
    }

    /** Moved to step next at that time, the lease freed. */
    public JourneyRun steppedTo(int next, Instant at) {
        return new JourneyRun(tenant, customerId, journey, runId, version, next, anchor, cycle, startedAt, status,
                endedAt, endReason, goalReachedAt, null, null, at);
    }

    public JourneyRun ended(Status how, String reason, Instant at) {
        return new JourneyRun(tenant, customerId, journey, runId, version, step, anchor, cycle, startedAt, how, at,
                reason, goalReachedAt, null, null, steppedAt);
    }

    public JourneyRun goalReached(Instant at) {
        return new JourneyRun(tenant, customerId, journey, runId, version, step, anchor, cycle, startedAt, status,
                endedAt, endReason, at, leaseOwner, leaseUntil, steppedAt);
    }
}
