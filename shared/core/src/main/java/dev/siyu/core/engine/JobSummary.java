package dev.siyu.core.engine;

import java.util.Map;

/**
 * What the scheduler answers (and logs) for one run: the job, when it started by the function's
 * clock, how long it took, and the job's own counts.
 */
public record JobSummary(String job, String startedAt, long millis, Map<String, Object> result) {
    public JobSummary {
        result = Map.copyOf(result);
    }
}
