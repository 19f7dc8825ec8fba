package dev.siyu.core.port;

import dev.siyu.core.journey.JourneyRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Journey runs ({@code J#<journey>#<runId>} on the customer's partition). Every state
 * change is conditional on the step the caller read, so two workers handed the same step cannot
 * both act on it.
 */
public interface JourneyRunStore {
    /** Creates the run unless one with the same id exists (a duplicated trigger); true when created. */
    boolean start(JourneyRun run);

    Optional<JourneyRun> run(String tenant, String customerId, String journey, String runId);

    /** All of the customer's runs, any status, oldest first. */
    List<JourneyRun> runs(String tenant, String customerId);

    /**
     * Claims step {@code from}: moves an ACTIVE run from step {@code from} to {@code from + 1}. False when
     * the run is no longer at that step or no longer active (someone else claimed it).
     */
    boolean claim(String tenant, String customerId, String journey, String runId, int from);

    /** Gives a claimed step back ({@code from + 1 -> from}) after its action failed, so a retry runs it. */
    void unclaim(String tenant, String customerId, String journey, String runId, int from);

    /** Ends an ACTIVE run that is at step {@code atStep}; false when it moved on or already ended. */
    boolean end(String tenant, String customerId, String journey, String runId, int atStep, JourneyRun.Status status,
                String reason, Instant at);

    /** Records the goal conversion once; false when it was recorded before. */
    boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at);
}
