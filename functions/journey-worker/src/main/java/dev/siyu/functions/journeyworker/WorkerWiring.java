package dev.siyu.functions.journeyworker;

import dev.siyu.function.TenantEngines;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The worker's entry point from the shared engine (shared/function builds the rest). */
public class WorkerWiring {
    /** One pool per instance: the batches' records run on it, whichever config they run on. */
    @Produces
    @Singleton
    @Named("journey-records")
    Executor recordPool(@ConfigProperty(name = "siyu.worker.parallel-records") int parallelRecords) {
        return JourneyWorker.recordPool(parallelRecords);
    }

    /**
     * Per invocation (Funqy builds the function per event), on the engine of the tenant's current config:
     * a newly applied blueprint reaches the next batch (TenantEngines), and nothing is read during init.
     */
    @Produces
    JourneyWorker journeyWorker(TenantEngines engines, @Named("journey-records") Executor records) {
        return JourneyWorker.of(engines.current(), records);
    }
}
