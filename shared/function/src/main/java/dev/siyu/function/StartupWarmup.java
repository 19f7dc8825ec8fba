package dev.siyu.function;

import dev.siyu.core.engine.Ports;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Set;

/**
 * Builds the ports (SDK and WeCom clients) during init when init is off the request path: SnapStart
 * snapshots them, provisioned concurrency runs it ahead of traffic. The tenant's config is not read here:
 * a snapshot would freeze it into every restored instance; {@link TenantEngines} reads it on first use.
 * On an on-demand cold start nothing is gained by doing it early, and measured with the AOT-cache variant
 * it cost ~120 ms more than building it on the first event (661 vs 538 ms median, launch to first answer,
 * docs/measurements.md), so there it stays lazy.
 */
@ApplicationScoped
public class StartupWarmup {
    /** Lambda's AWS_LAMBDA_INITIALIZATION_TYPE values whose init runs before any request waits. */
    private static final Set<String> AHEAD_OF_TRAFFIC = Set.of("snap-start", "provisioned-concurrency");

    void onStart(@Observes StartupEvent event, Instance<Ports> ports) {
        if (AHEAD_OF_TRAFFIC.contains(String.valueOf(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE")))) {
            ports.get().wecom();
        }
    }
}
