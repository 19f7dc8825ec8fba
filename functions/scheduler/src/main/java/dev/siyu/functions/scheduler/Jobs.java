package dev.siyu.functions.scheduler;

import dev.siyu.core.log.JsonLog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scheduler's jobs by the names the EventBridge rules use (docs/architecture.md, Scheduled jobs). */
public final class Jobs {
    private static final System.Logger LOG = System.getLogger(Jobs.class.getName());

    private final Map<String, ScheduledJob> jobs;
    private final Clock clock;

    public Jobs(Map<String, ScheduledJob> jobs, Clock clock) {
        this.jobs = new LinkedHashMap<>(jobs);
        this.clock = clock;
    }

    public List<String> names() {
        return List.copyOf(jobs.keySet());
    }

    /** Runs the job and returns its summary; an unknown name throws {@link UnknownJobException}. */
    public JobSummary run(String name) {
        ScheduledJob job = name == null ? null : jobs.get(name.trim());
        if (job == null) {
            throw new UnknownJobException(name, names());
        }
        Instant startedAt = clock.instant();
        long t0 = System.nanoTime();
        Object result;
        try {
            result = job.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, JsonLog.line("scheduled job failed", "job", name, "error", e.getClass().getSimpleName(),
                    "reason", String.valueOf(e.getMessage()), "ms", (System.nanoTime() - t0) / 1_000_000), e);
            throw e;
        }
        JobSummary summary = new JobSummary(name.trim(), startedAt.toString(), (System.nanoTime() - t0) / 1_000_000,
                RecordMaps.summary(result));
        List<Object> fields = new ArrayList<>(List.of("job", summary.job(), "ms", summary.millis()));
        summary.result().forEach((k, v) -> {
            // Counts become fields Logs Insights can sum; nested detail stays in the returned summary.
            if (v instanceof Number || v instanceof Boolean || v instanceof String) {
                fields.add(k);
                fields.add(v);
            }
        });
        LOG.log(Level.INFO, JsonLog.line("scheduled job done", fields.toArray()));
        return summary;
    }
}
