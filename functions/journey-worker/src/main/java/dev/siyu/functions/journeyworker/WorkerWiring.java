package dev.siyu.functions.journeyworker;

import dev.siyu.core.engine.Engine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The worker's entry point from the shared engine (shared/function builds the rest). */
public class WorkerWiring {
    @Produces
    @Singleton
    JourneyWorker journeyWorker(Engine engine,
                                @ConfigProperty(name = "siyu.worker.parallel-records") int parallelRecords) {
        return JourneyWorker.of(engine, JourneyWorker.recordPool(parallelRecords));
    }
}
