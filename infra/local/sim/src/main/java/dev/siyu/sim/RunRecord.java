package dev.siyu.sim;

import dev.siyu.core.journey.JourneyRun;
import java.time.Instant;

/**
 * One journey run at the end of a simulation, as runs.jsonl records it.
 *
 * @param status  active, completed, exited, superseded (exited because a newer run replaced it) or failed
 * @param pending where its next step waits: queue, timer or none
 */
public record RunRecord(String customerId, String externalUserId, String journey, String runId, String status,
                        String pending, Instant startedAt) {
    public static final String QUEUE = "queue";
    public static final String TIMER = "timer";
    public static final String NONE = "none";
    static final String SUPERSEDED = "superseded";

    static String status(JourneyRun r) {
        if (r.status() == JourneyRun.Status.EXITED && r.endReason() != null && r.endReason().startsWith(SUPERSEDED)) {
            return SUPERSEDED;
        }
        return r.status().name().toLowerCase();
    }

    public boolean active() {
        return "active".equals(status);
    }
}
