package dev.siyu.store;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.ConfigStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tenant's config and its version number: new journey runs start on this version, and a run
 * keeps reading the version it started on (ConfigCatalog).
 *
 * @param version 0 for a file or the bundled example: version numbers of stored configs start at 1
 */
public record TenantConfig(long version, ScrmConfig config) {
    private static final System.Logger LOG = System.getLogger(TenantConfig.class.getName());
    public static final String BUNDLED = "/scrm.example.yaml";

    /**
     * From {@code file} when given (local runs), else the tenant's current stored version, else the
     * example blueprint bundled in the function, as the callback does.
     */
    public static TenantConfig load(ConfigStore store, ConfigLoader loader, String tenant, Optional<Path> file) {
        if (file.isPresent()) {
            return new TenantConfig(0, loader.load(file.get()));
        }
        Optional<ConfigStore.Version> stored = store.currentVersion(tenant);
        if (stored.isPresent()) {
            long n = stored.get().number();
            return new TenantConfig(n, loader.load(stored.get().yamlText(), "table:" + tenant + " version " + n));
        }
        LOG.log(Level.WARNING, JsonLog.line("no config stored for tenant; using the bundled example as version 0",
                "tenant", tenant));
        // The example is bundled in each function's jar: look it up where the function's classes are.
        ClassLoader functions = Thread.currentThread().getContextClassLoader();
        try (InputStream in = functions != null && functions.getResource(BUNDLED.substring(1)) != null
                ? functions.getResourceAsStream(BUNDLED.substring(1)) : TenantConfig.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + BUNDLED + " is missing from the function");
            }
            return new TenantConfig(0, loader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "scrm.example.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled scrm.example.yaml", e);
        }
    }
}
