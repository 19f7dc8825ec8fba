package dev.siyu.function;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.ConfigStore;
import dev.siyu.store.TenantConfig;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The engine on the tenant's current config, read on first use and rebuilt when the stored version
 * changes. Nothing here runs at init: under SnapStart the snapshot is taken before the first event,
 * and a config read then would be frozen into every instance restored from it. After the first read,
 * at most every {@link #CHECK_EVERY} an event pays one small read (the version number alone, half a
 * read unit) to learn whether an operator applied a new blueprint; only then is the text read and the
 * engine built again. A missing stored config fails every event with {@link
 * TenantConfig.MissingConfigException} (logged): the function acts on nothing rather than on a stand-in.
 */
public final class TenantEngines {
    /** How stale an instance's config may be: an applied blueprint reaches every instance within this. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(TenantEngines.class.getName());

    private final String tenant;
    private final Optional<Path> file;
    private final ConfigStore store;
    private final ConfigLoader loader;
    private final Function<TenantConfig, Engine> build;
    private final LongSupplier nanos;
    private Engine engine;
    private long version = -1;
    private long checkedAt;

    /**
     * @param file  a blueprint file for local runs (read once, never refreshed); empty: the stored config
     * @param build the engine on one config version
     * @param nanos a monotonic clock in nanoseconds (System::nanoTime)
     */
    public TenantEngines(String tenant, Optional<Path> file, ConfigStore store, ConfigLoader loader,
                         Function<TenantConfig, Engine> build, LongSupplier nanos) {
        this.tenant = tenant;
        this.file = file;
        this.store = store;
        this.loader = loader;
        this.build = build;
        this.nanos = nanos;
    }

    /** The engine on the current config; reads it on first use and after a version change. */
    public synchronized Engine current() {
        long now = nanos.getAsLong();
        if (engine != null && (file.isPresent() || now - checkedAt < CHECK_EVERY.toNanos())) {
            return engine;
        }
        if (engine != null) {
            OptionalLong stored = store.currentNumber(tenant);
            checkedAt = now;
            if (stored.isPresent() && stored.getAsLong() == version) {
                return engine;
            }
        }
        TenantConfig config;
        try {
            config = TenantConfig.load(store, loader, tenant, file);
        } catch (TenantConfig.MissingConfigException missing) {
            LOG.log(Level.ERROR, JsonLog.line("no stored config: refusing to act", "tenant", tenant,
                    "error", missing.getMessage()));
            throw missing;
        }
        if (engine != null) {
            LOG.log(Level.INFO, JsonLog.line("config changed: engine rebuilt", "tenant", tenant, "from", version,
                    "to", config.version()));
        }
        engine = build.apply(config);
        version = config.version();
        checkedAt = now;
        return engine;
    }
}
