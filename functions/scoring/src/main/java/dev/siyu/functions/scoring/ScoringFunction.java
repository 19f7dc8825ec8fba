package dev.siyu.functions.scoring;

import dev.siyu.core.engine.Engine;
import dev.siyu.function.TenantEngines;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request -> the engine's scoring (one customer, the nightly job, or training) -> what it did. Nothing else lives here. */
public class ScoringFunction {
    private final TenantEngines engines;

    @Inject
    public ScoringFunction(TenantEngines engines) {
        this.engines = engines;
    }

    @Funq
    public Object scoring(ScoringRequest request) {
        Engine engine = engines.current();
        if (request != null && request.customerId() != null) {
            return engine.nightlyScoring().scoreOne(request.customerId(), engine.clock().instant())
                    .<Object>map(s -> s).orElseGet(() -> Map.of("customerId", request.customerId(), "found", false));
        }
        if (request != null && Boolean.TRUE.equals(request.train())) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("trained", engine.nightlyScoring().trainNow(engine.clock().instant()));
            return out;
        }
        return engine.jobs().run(request == null ? null : request.job());
    }
}
