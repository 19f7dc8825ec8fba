package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.ConfigCatalog;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.ConfigStore;
import dev.siyu.memory.CallLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run keeps the steps of the config version it started on; new runs get the current version.
 * Versions come from a ConfigStore through the real {@link ConfigCatalog}, as journey-worker reads them.
 */
class ConfigVersioningTest {
    static final String JOURNEY = "new_customer_activation";
    static final String V1_DRAFT = "Hi! I'd love to help you find what suits you. What is your skin type, and is there"
            + " anything you're looking to improve?";
    static final String V1_TRIAL = "Not sure where to start? Try our sample set first - limited to this week.";
    static final String V2_DRAFT = "V2 draft: tell me about your routine and I'll suggest a first set.";
    static final String V2_TRIAL = "V2: the sample set is back for new members.";

    /** The tenant's stored config versions, 1, 2, ... */
    static final class MemoryConfigStore implements ConfigStore {
        final List<String> versions = new ArrayList<>();
        final List<Long> reads = new ArrayList<>();

        @Override
        public synchronized long save(String tenant, String yamlText) {
            versions.add(yamlText);
            return versions.size();
        }

        @Override
        public synchronized Optional<String> current(String tenant) {
            return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        }

        @Override
        public synchronized Optional<Version> currentVersion(String tenant) {
            return current(tenant).map(t -> new Version(versions.size(), t));
        }

        @Override
        public synchronized Optional<String> version(String tenant, long number) {
            reads.add(number);
            return number >= 1 && number <= versions.size() ? Optional.of(versions.get((int) number - 1))
                    : Optional.empty();
        }
    }

    @Test
    void aRunningCustomerKeepsVersion1StepsWhileANewCustomerGetsVersion2() {
        // GIVEN version 1 (the example) is live
        MemoryConfigStore store = new MemoryConfigStore();
        String v1Text = ExampleConfig.TEXT;
        long v1 = store.save("demo-brand", v1Text);
        ScrmConfig v1Config = ExampleConfig.load(v1Text, "config version 1");
        JourneyHarness h = new JourneyHarness(v1Config, Instant.parse("2024-03-04T02:00:00Z")); // Mon 10:00
        h.use(new ConfigCatalog(store, ExampleConfig.LOADER, h.tenant, v1, v1Config));
        h.group("wrPerks01", "Welcome Perks Group", "lisi");

        // AND customer A starts the activation flow on it
        h.added("A");
        h.runUntil(h.local(2024, 3, 5, 12, 0));
        assertThat(h.touchesFor("A")).hasSize(3);

        // WHEN the operator saves version 2, where the 72h draft and the last step (now 6d) differ,
        // and the containers recycle onto it
        String v2Text = ExampleConfig.replacing(ExampleConfig.replacing(ExampleConfig.replacing(
                ExampleConfig.replacing(v1Text, V1_DRAFT, V2_DRAFT), V1_TRIAL, V2_TRIAL),
                "      - delay: 7d\n", "      - delay: 6d\n"),
                "label: \"Limited-time trial sample offer\"", "label: \"Sample set is back\"");
        long v2 = store.save("demo-brand", v2Text);
        ScrmConfig v2Config = ExampleConfig.load(v2Text, "config version 2");
        h.use(v2Config, new ConfigCatalog(store, ExampleConfig.LOADER, h.tenant, v2, v2Config));

        // AND customer B is added on Tuesday 12:00
        h.added("B");
        h.runUntil(h.local(2024, 3, 13, 0, 0));

        // THEN A's run stayed on version 1: its draft and its 7d trial offer
        JourneyRun a = h.onlyRun("A", JOURNEY);
        assertThat(a.version()).isEqualTo(1);
        assertThat(a.status()).isEqualTo(JourneyRun.Status.COMPLETED);
        List<JourneyHarness.Touched> aCalls = h.touchesFor("A");
        assertThat(aCalls).extracting(c -> h.localOf(c.at()).toString(), JourneyHarness.Touched::text).endsWith(
                tuple(h.localCouponOpening("A", 2024, 3, 11, 9, 0), V1_DRAFT),
                tuple(laterOf(h.localCouponOpening("A", 2024, 3, 11, 9, 0), "2024-03-11T10:00"), V1_TRIAL));
        assertThat(h.events("A", "desk_task_created").get(2).details())
                .containsEntry("label", "Limited-time trial sample offer");

        // AND B's run is on version 2: the new draft and the trial offer after 6 days
        JourneyRun b = h.onlyRun("B", JOURNEY);
        assertThat(b.version()).isEqualTo(2);
        assertThat(b.status()).isEqualTo(JourneyRun.Status.COMPLETED);
        assertThat(h.touchesFor("B")).extracting(c -> h.localOf(c.at()).toString(), JourneyHarness.Touched::text).endsWith(
                tuple(h.localCouponOpening("B", 2024, 3, 11, 9, 0), V2_DRAFT),
                tuple("2024-03-11T12:00", V2_TRIAL));
        assertThat(h.events("B", "desk_task_created").get(2).details()).containsEntry("label", "Sample set is back");

        // AND the timeline says which version each run started on
        assertThat(h.events("A", "journey_started").get(0).details()).containsEntry("version", "1");
        assertThat(h.events("B", "journey_started").get(0).details()).containsEntry("version", "2");
        // AND version 1 was read from the store (and parsed) by the version-2 container
        assertThat(store.reads).contains(1L);
    }

    /** A step due while an earlier, deferred one waits runs right after it: at whichever time is later. */
    private static String laterOf(String a, String b) {
        return java.time.LocalDateTime.parse(a).isAfter(java.time.LocalDateTime.parse(b)) ? a : b;
    }
}
