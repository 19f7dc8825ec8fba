package dev.siyu.functions.scheduler;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Set;

/**
 * Builds the scheduler's jobs (config read from the table, SDK and WeCom clients) during init when
 * init is off the request path (SnapStart, provisioned concurrency); otherwise lazily on the first
 * event, as measured for the callback (see wecom-callback's StartupWarmup).
 */
@ApplicationScoped
public class StartupWarmup {
    private static final Set<String> AHEAD_OF_TRAFFIC = Set.of("snap-start", "provisioned-concurrency");

    void onStart(@Observes StartupEvent event, Instance<Jobs> jobs) {
        if (AHEAD_OF_TRAFFIC.contains(String.valueOf(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE")))) {
            jobs.get();
        }
    }
}
