package dev.siyu.functions.scheduler;

import dev.siyu.core.engine.JobSummary;
import dev.siyu.core.engine.Jobs;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** EventBridge rule -> {@link Jobs} -> the job's summary. Nothing else lives here. */
public class SchedulerFunction {
    private final Jobs jobs;

    @Inject
    public SchedulerFunction(Jobs jobs) {
        this.jobs = jobs;
    }

    @Funq
    public JobSummary scheduler(JobRequest request) {
        return request == null ? jobs.run(null) : jobs.run(request.jobName(), request.jobInput());
    }
}
