package dev.siyu.functions.scheduler;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Jobs;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The scheduler's entry point: the job catalog's jobs on the shared engine (shared/function builds it). */
public class SchedulerWiring {
    @Produces
    @Singleton
    Jobs jobs(Engine engine) {
        return engine.jobs();
    }
}
