package dev.siyu.analytics.profiles;

import java.util.Map;
import java.util.Optional;

/**
 * Where a tenant's trained scoring model is kept between invocations: a directory locally, S3 in AWS (the
 * scoring function). {@code files}: {@code scoring.json} (the value fits, tier cuts, settings, the fallback's
 * reason), and when the booster was trained {@code model.ubj} and {@code model-card.json}.
 */
public interface ModelStore {
    void save(String tenant, String file, byte[] content);

    Optional<byte[]> load(String tenant, String file);

    /**
     * The files of one training, published together: a store that can (S3) makes them visible at once, so a crash
     * mid-upload never publishes half a model; this default writes them one by one in the map's order.
     */
    default void publish(String tenant, Map<String, byte[]> files) {
        files.forEach((file, content) -> save(tenant, file, content));
    }
}
