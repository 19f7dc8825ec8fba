package dev.siyu.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.engine.Engine;
import dev.siyu.memory.MemoryConfigStore;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.store.TenantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 10, item 10: the config is read on first use, followed when it changes, and never stood in for. */
class TenantEnginesTest {
    private static final String EXAMPLE = read("../../config/scrm.example.yaml");

    private final MemoryConfigStore store = new MemoryConfigStore();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger built = new AtomicInteger();
    private final String tenant = new ConfigLoader().load(EXAMPLE, "example").tenant();
    private final TenantEngines engines = new TenantEngines(tenant, Optional.empty(), store, new ConfigLoader(),
            config -> {
                built.incrementAndGet();
                return new Engine(MemoryPorts.create(new RecordingWeComApi()), config.config(), config.version(), null,
                        Clock.systemUTC(), Engine.Settings.inline());
            }, nanos::get);

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void withNoStoredConfigTheFunctionRefusesToAct_neverTheBundledExample() {
        assertThatThrownBy(engines::current).isInstanceOf(TenantConfig.MissingConfigException.class)
                .hasMessageContaining("no config is stored for tenant " + tenant);
        assertThat(built).hasValue(0);
    }

    @Test
    void theConfigIsReadOnFirstUseAndFollowedWhenAnOperatorAppliesANewVersion() {
        // GIVEN nothing read at construction (SnapStart's init), then version 1 stored
        assertThat(built).hasValue(0);
        store.save(tenant, EXAMPLE);
        Engine first = engines.current();
        assertThat(first.configVersion()).isEqualTo(1);
        // WHEN an operator applies version 2
        store.save(tenant, EXAMPLE.replace("Thanks for your purchase!", "Thanks for shopping with us!"));
        // THEN within the check interval the instance keeps version 1, after it it runs on version 2
        nanos.addAndGet(TenantEngines.CHECK_EVERY.toNanos() - 1);
        assertThat(engines.current()).isSameAs(first);
        nanos.addAndGet(1);
        Engine second = engines.current();
        assertThat(second.configVersion()).isEqualTo(2);
        assertThat(second.config().channelCodes().get(0).welcomeMessage()).contains("Thanks for shopping with us!");
        // AND an unchanged version costs a version check, not a rebuild
        nanos.addAndGet(TenantEngines.CHECK_EVERY.toNanos());
        assertThat(engines.current()).isSameAs(second);
        assertThat(built).hasValue(2);
    }
}
