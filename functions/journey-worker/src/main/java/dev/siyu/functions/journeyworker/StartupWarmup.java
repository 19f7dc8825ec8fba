package dev.siyu.functions.journeyworker;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Set;

/**
 * Builds the worker's graph (config read from the table, SDK and WeCom clients) during init when
 * init is off the request path (SnapStart, provisioned concurrency); on an on-demand cold start it
 * stays lazy, as measured for the callback (see wecom-callback's StartupWarmup).
 */
@ApplicationScoped
public class StartupWarmup {
    private static final Set<String> AHEAD_OF_TRAFFIC = Set.of("snap-start", "provisioned-concurrency");

    void onStart(@Observes StartupEvent event, Instance<JourneyWorker> worker) {
        if (AHEAD_OF_TRAFFIC.contains(String.valueOf(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE")))) {
            worker.get();
        }
    }
}
