package dev.siyu.core.port;

import dev.siyu.core.journey.JourneyRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Journey runs ({@code J#<journey>#<runId>} on the customer's partition). Every state
 * change is conditional on the step the caller read (and, while a step is being worked on, on its lease), so
 * two workers handed the same step cannot both act on it.
 */
public interface JourneyRunStore {
    /**
     * Creates the run atomically with the customer's marker for that journey, which counts the journey's runs:
     * only if the marker still counts {@code seen} (the runs of that journey the caller read; a marker not
     * written yet counts as anything, for runs started before it existed). Of two triggers handled at once (two
     * staff members added the customer), one starts its run and the other is refused, re-reads and finds the
     * run already active. The runs in {@code superseding} (active runs of a restart journey) end as EXITED
     * "superseded" in the same write. False when refused (the run exists, the marker moved on, or a run to
     * supersede already moved).
     */
    boolean start(JourneyRun run, int seen, List<JourneyRun> superseding);

    Optional<JourneyRun> run(String tenant, String customerId, String journey, String runId);

    /** All of the customer's runs, any status, oldest first. */
    List<JourneyRun> runs(String tenant, String customerId);

    /**
     * Leases step {@code step} of an ACTIVE run to {@code owner} until {@code until}: only while the run is at
     * that step and no other owner's lease is unexpired at {@code now}. False otherwise (moved on, ended, or
     * held by a live delivery). The lease is freed by the step's commit ({@link #advance}).
     */
    boolean lease(String tenant, String customerId, String journey, String runId, int step, String owner, Instant now,
                  Instant until);

    /**
     * The run's part of a step's commit: moves an ACTIVE run from {@code step} to {@code next} (equal for a
     * deferral: the lease is only freed), ending it as {@code endAs} when not null, freeing the lease. Only
     * while {@code owner} holds the lease (owner null: while nobody holds an unexpired one). False when refused.
     * Stores that write the step's events with it use {@link CustomerSnapshots#commitStep} instead.
     */
    boolean advance(StepCommit.RunChange change);

    /** Records the goal conversion once; false when it was recorded before. */
    boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at);
}
