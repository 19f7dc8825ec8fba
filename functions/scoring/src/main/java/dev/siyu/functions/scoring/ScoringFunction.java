package dev.siyu.functions.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.engine.Engine;
import dev.siyu.function.TenantEngines;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Request -> the engine's scoring (one customer, a scoring job, or training) -> what it did. Direct invocations
 * get the result itself; admin API requests get it as an HTTP API response. Nothing else lives here.
 */
public class ScoringFunction {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json; charset=utf-8");

    private final TenantEngines engines;
    private final ObjectMapper json;

    @Inject
    public ScoringFunction(TenantEngines engines, ObjectMapper json) {
        this.engines = engines;
        this.json = json;
    }

    @Funq
    public Object scoring(ScoringRequest request) {
        Engine engine = engines.current();
        if (request != null && request.http()) {
            return admin(engine, request);
        }
        if (request != null && request.customerId() != null) {
            return scoreOne(engine, request.customerId()).<Object>map(s -> s)
                    .orElseGet(() -> Map.of("customerId", request.customerId(), "found", false));
        }
        if (request != null && Boolean.TRUE.equals(request.train())) {
            return train(engine);
        }
        return engine.jobs().run(request == null ? null : request.job());
    }

    private Map<String, Object> admin(Engine engine, ScoringRequest request) {
        Optional<AdminRoute> route = AdminRoute.of(request);
        if (route.isEmpty()) {
            return response(404, Map.of("message", "Not Found"));
        }
        if (route.get() instanceof AdminRoute.ScoreCustomer one) {
            return scoreOne(engine, one.customerId()).map(s -> response(200, s))
                    .orElseGet(() -> response(404, Map.of("message", "no customer " + one.customerId())));
        }
        Map<String, Object> trained = train(engine);
        // Another training holds the tenant's training lease: refused, not a second training at once.
        return response(dev.siyu.core.schedule.NightlyScoring.TRAINING_RUNNING.equals(trained.get("trained")) ? 409 : 200,
                trained);
    }

    private static Optional<dev.siyu.core.schedule.NightlyScoring.OneScored> scoreOne(Engine engine, String customerId) {
        return engine.nightlyScoring().scoreOne(customerId, engine.clock().instant());
    }

    private static Map<String, Object> train(Engine engine) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trained", engine.nightlyScoring().trainNow(engine.clock().instant()));
        return out;
    }

    /** An HTTP API payload 2.0 response: status, JSON headers, the body as JSON text. */
    private Map<String, Object> response(int status, Object body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", status);
        out.put("headers", JSON);
        try {
            out.put("body", json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.put("isBase64Encoded", false);
        return out;
    }
}
