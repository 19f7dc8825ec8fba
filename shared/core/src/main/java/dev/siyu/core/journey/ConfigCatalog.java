package dev.siyu.core.journey;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.ConfigStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Journeys read from the tenant's stored config versions. A version never changes once stored, so each
 * is parsed once per container; the current version is the one the function started with (a new
 * config reaches new runs when containers recycle, running customers are never affected).
 */
public final class ConfigCatalog implements JourneyCatalog {
    private final ConfigStore store;
    private final ConfigLoader loader;
    private final String tenant;
    private final long current;
    private final Map<Long, List<Journey>> versions = new ConcurrentHashMap<>();

    /**
     * @param current        the version new runs start on
     * @param currentConfig  that version, already loaded
     */
    public ConfigCatalog(ConfigStore store, ConfigLoader loader, String tenant, long current, ScrmConfig currentConfig) {
        this.store = store;
        this.loader = loader;
        this.tenant = tenant;
        this.current = current;
        versions.put(current, currentConfig.journeys());
    }

    @Override
    public long currentVersion() {
        return current;
    }

    @Override
    public List<Journey> journeys(long version) {
        return versions.computeIfAbsent(version, v -> store.version(tenant, v)
                .map(text -> loader.load(text, "config version " + v).journeys())
                .orElse(List.of()));
    }
}
