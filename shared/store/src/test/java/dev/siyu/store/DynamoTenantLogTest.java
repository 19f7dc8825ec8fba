package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Issue 10, item 16: a tenant-wide log (unhandled callbacks, tag changes) no longer piles onto one partition key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoTenantLogTest {
    private static final Instant AT = Instant.parse("2026-11-23T02:00:00Z");
    @RegisterExtension
    static final LocalAws aws = new LocalAws();

    @Test
    void aDaysUnhandledCallbacksSpreadOverEightPartitionKeys() {
        DynamoTenantLog log = new DynamoTenantLog(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        for (int i = 0; i < 400; i++) {
            log.append("brand-a", "UNHANDLED", new TimelineEvent("ev-" + i, AT.plusMillis(i), "unhandled_callback", null,
                    Map.of("event", "change_external_future")));
        }

        Map<String, Integer> perKey = new TreeMap<>();
        aws.dynamo().scanPaginator(b -> b.tableName(LocalAws.TABLE)).items().forEach(item -> {
            String pk = item.get("pk").s();
            if (pk.startsWith("T#brand-a#UNHANDLED")) {
                perKey.merge(pk, 1, Integer::sum);
            }
        });
        assertThat(perKey).hasSize(DynamoTenantLog.LOG_SHARDS);
        assertThat(perKey.keySet()).allMatch(pk -> pk.startsWith("T#brand-a#UNHANDLED#20261123#"));
        assertThat(perKey.values()).as("400 events: 50 a key on average, all 400 on one before").allMatch(n -> n < 100);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(400);
    }

    @Test
    void aGroupsLogStaysUnderTheGroup() {
        DynamoTenantLog log = new DynamoTenantLog(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        log.append("brand-b", "GROUP#wrChat9", new TimelineEvent("ev-g", AT, "group_add_member", null, Map.of()));
        assertThat(aws.dynamo().query(b -> b.tableName(LocalAws.TABLE).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("T#brand-b#GROUP#wrChat9")))).count())
                .isEqualTo(1);
    }
}
