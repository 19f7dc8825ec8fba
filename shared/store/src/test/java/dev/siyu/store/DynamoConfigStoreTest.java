package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.ConfigStore;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Versioned tenant configs and the tenant-level logs (groups, tags, unhandled callbacks). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoConfigStoreTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoConfigStore configs;
    private DynamoTenantLog log;

    @BeforeAll
    void startDynamoDb() {
        configs = new DynamoConfigStore(aws.dynamo(), LocalAws.TABLE, meter);
        log = new DynamoTenantLog(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
    }

    @Test
    void everySaveIsTheNextVersionAndBecomesCurrent() {
        assertThat(configs.current("brand-a")).isEmpty();
        assertThat(configs.save("brand-a", "tenant: brand-a # v1")).isEqualTo(1);
        assertThat(configs.save("brand-a", "tenant: brand-a # v2")).isEqualTo(2);
        assertThat(configs.current("brand-a")).contains("tenant: brand-a # v2");
        assertThat(configs.current("brand-b")).isEmpty();
        // The first version is kept, not overwritten.
        Map<String, AttributeValue> v1 = aws.dynamo().getItem(b -> b.tableName(LocalAws.TABLE).key(Map.of(
                "pk", AttributeValue.fromS("T#brand-a#CONFIG"), "sk", AttributeValue.fromS("V#00000001")))).item();
        assertThat(v1.get("yaml").s()).isEqualTo("tenant: brand-a # v1");
    }

    @Test
    void concurrentAppliesGetDistinctVersions() throws Exception {
        List<Long> versions = Concurrently.run(4, n -> configs.save("brand-c", "tenant: brand-c # " + n));
        assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(configs.current("brand-c")).isPresent();
    }

    @Test
    void aRunFindsTheVersionItStartedOnAfterLaterSaves() {
        assertThat(configs.currentVersion("brand-v")).isEmpty();
        configs.save("brand-v", "tenant: brand-v # v1");
        ConfigStore.Version started = configs.currentVersion("brand-v").orElseThrow();
        configs.save("brand-v", "tenant: brand-v # v2");

        assertThat(started).isEqualTo(new ConfigStore.Version(1, "tenant: brand-v # v1"));
        assertThat(configs.currentVersion("brand-v")).contains(new ConfigStore.Version(2, "tenant: brand-v # v2"));
        assertThat(configs.version("brand-v", started.number())).contains("tenant: brand-v # v1");
        assertThat(configs.version("brand-v", 2)).contains("tenant: brand-v # v2");
    }

    @Test
    void versionsThatWereNeverSavedAreEmpty() {
        configs.save("brand-w", "tenant: brand-w # v1");

        assertThat(configs.version("brand-w", 2)).isEmpty();
        assertThat(configs.version("brand-w", 0)).isEmpty();
        assertThat(configs.version("brand-x", 1)).as("another tenant's version 1").isEmpty();
    }

    @Test
    void readingAVersionCostsHalfAUnitWhenFound() {
        configs.save("brand-m", "tenant: brand-m # v1");
        meter.reset();

        configs.version("brand-m", 1);
        assertThat(meter.reads()).as("eventually consistent GetItem of a small item").isEqualTo(0.5);
        meter.reset();

        configs.currentVersion("brand-m");
        assertThat(meter.reads()).as("strongly consistent GetItem of CURRENT").isEqualTo(1.0);
    }

    @Test
    void groupChangesKeepASummaryAndALog() {
        Instant at = Instant.parse("2026-11-23T02:00:00Z");
        log.recordGroup("brand-a", "wrChat1", "active", 0, new TimelineEvent("ev1", at, "group_created", null, Map.of()));
        log.recordGroup("brand-a", "wrChat1", "active", 3, new TimelineEvent("ev2", at.plusSeconds(1), "group_add_member", null, Map.of()));
        log.recordGroup("brand-a", "wrChat1", "active", -1, new TimelineEvent("ev3", at.plusSeconds(2), "group_del_member", null, Map.of()));

        Map<String, AttributeValue> summary = aws.dynamo().getItem(b -> b.tableName(LocalAws.TABLE).key(Map.of(
                "pk", AttributeValue.fromS("T#brand-a#GROUP#wrChat1"), "sk", AttributeValue.fromS("GROUP")))).item();
        assertThat(summary.get("member_count").n()).isEqualTo("2");
        assertThat(summary.get("status").s()).isEqualTo("active");
        long events = aws.dynamo().query(b -> b.tableName(LocalAws.TABLE).keyConditionExpression("pk = :pk AND begins_with(sk, :ev)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("T#brand-a#GROUP#wrChat1"),
                        ":ev", AttributeValue.fromS("EV#")))).count();
        assertThat(events).isEqualTo(3);
    }
}
