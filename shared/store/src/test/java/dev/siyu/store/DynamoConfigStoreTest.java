package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Versioned tenant configs and the tenant-level logs (groups, tags, unhandled callbacks). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoConfigStoreTest {
    private LocalAws aws;
    private DynamoConfigStore configs;
    private DynamoTenantLog log;

    @BeforeAll
    void startDynamoDb() {
        aws = LocalAws.start();
        configs = new DynamoConfigStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        log = new DynamoTenantLog(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
    }

    @AfterAll
    void stop() {
        aws.close();
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
