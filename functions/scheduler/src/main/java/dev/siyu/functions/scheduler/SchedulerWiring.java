package dev.siyu.functions.scheduler;

import dev.siyu.core.engine.Jobs;
import dev.siyu.function.TenantEngines;
import jakarta.enterprise.inject.Produces;

/** The scheduler's entry point: the job catalog's jobs on the shared engine (shared/function builds it). */
public class SchedulerWiring {
    /**
     * Per invocation (Funqy builds the function per event), from the engine of the tenant's current config:
     * a newly applied blueprint reaches the next run (TenantEngines), and nothing is read during init.
     */
    @Produces
    Jobs jobs(TenantEngines engines) {
        return engines.current().jobs();
    }
}
