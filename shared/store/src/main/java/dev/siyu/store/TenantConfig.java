package dev.siyu.store;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.ConfigStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tenant's config and its version number: new journey runs start on this version, and a run
 * keeps reading the version it started on (ConfigCatalog).
 *
 * @param version 0 for a file: version numbers of stored configs start at 1
 */
public record TenantConfig(long version, ScrmConfig config) {

    /**
     * From {@code file} when given (local runs), else the tenant's current stored version. No stored
     * config is an error, never a fallback: the bundled example's welcome text must never reach a real
     * brand's customers.
     */
    public static TenantConfig load(ConfigStore store, ConfigLoader loader, String tenant, Optional<Path> file) {
        if (file.isPresent()) {
            return new TenantConfig(0, loader.load(file.get()));
        }
        Optional<ConfigStore.Version> stored = store.currentVersion(tenant);
        if (stored.isEmpty()) {
            throw new MissingConfigException(tenant);
        }
        long n = stored.get().number();
        return new TenantConfig(n, loader.load(stored.get().yamlText(), "table:" + tenant + " version " + n));
    }

    /** No config is stored for the tenant: the function refuses to act until one is applied. */
    public static final class MissingConfigException extends IllegalStateException {
        public MissingConfigException(String tenant) {
            super("no config is stored for tenant " + tenant + ": apply the brand's blueprint first "
                    + "(./siyu apply --config <blueprint.yaml> ...); until then this function acts on nothing");
        }
    }
}
