package dev.siyu.core.engine;

import dev.siyu.core.log.JsonLog;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the catalog's jobs by name on one engine and reports each run: the scheduler function, the
 * local stack's schedules and the simulator all run jobs through this, so they log and summarise
 * alike. Each job is built on its first run and kept (they hold no per-run state).
 */
public final class Jobs {
    private static final System.Logger LOG = System.getLogger(Jobs.class.getName());

    private final Engine engine;
    private final Clock clock;
    private final Map<String, ScheduledJob> built = new LinkedHashMap<>();
    private final OperatorActions actions;

    public Jobs(Engine engine) {
        this.engine = engine;
        this.clock = engine.clock();
        this.actions = new OperatorActions(engine);
    }

    /** The scheduled jobs, then the operator actions: every name the scheduler accepts. */
    public List<String> names() {
        List<String> all = new ArrayList<>(JobCatalog.names());
        JobCatalog.actions().forEach(a -> all.add(a.name()));
        return all;
    }

    /** Runs the job and returns its summary; an unknown name throws {@link UnknownJobException}. */
    public JobSummary run(String name) {
        return run(name, Map.of());
    }

    /**
     * Runs the job, or the operator action with its input (a scheduled job has none), and returns its
     * summary; an unknown name throws {@link UnknownJobException}.
     */
    public JobSummary run(String name, Map<String, Object> input) {
        Optional<JobCatalog.Action> action = JobCatalog.action(name);
        String jobName;
        ScheduledJob job;
        if (action.isPresent()) {
            jobName = action.get().name();
            job = () -> actions.run(jobName, input);
        } else {
            JobCatalog.Job spec = JobCatalog.named(name).orElseThrow(() -> new UnknownJobException(name, names()));
            jobName = spec.name();
            job = job(spec);
        }
        Instant startedAt = clock.instant();
        long t0 = System.nanoTime();
        Object result;
        try {
            result = job.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, JsonLog.line("scheduled job failed", "job", jobName, "error",
                    e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage()), "ms",
                    (System.nanoTime() - t0) / 1_000_000), e);
            throw e;
        }
        try {
            engine.flushDecisions();
        } catch (RuntimeException e) {
            // Statistics only: a job that did its work is not failed (and re-run) for its counts; they wait.
            LOG.log(Level.WARNING, JsonLog.line("decision counts not written; kept for the next run", "job", jobName,
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
        JobSummary summary = new JobSummary(jobName, startedAt.toString(), (System.nanoTime() - t0) / 1_000_000,
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

    private synchronized ScheduledJob job(JobCatalog.Job spec) {
        return built.computeIfAbsent(spec.name(), n -> spec.factory().apply(engine));
    }
}
