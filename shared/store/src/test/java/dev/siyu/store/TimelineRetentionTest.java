package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Issue 10, item 16: timeline events had no retention; each now expires 400 days after it happened (table TTL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelineRetentionTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();

    @Test
    void aTimelineEventExpiresFourHundredDaysAfterItHappened() {
        Instant at = Instant.parse("2026-03-01T08:00:00Z");
        new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter())
                .append("acme", "c-1", List.of(new TimelineEvent("ev-1", at, "contact_added", "zhang.wei", Map.of())));

        Map<String, AttributeValue> item = aws.dynamo().query(b -> b.tableName(LocalAws.TABLE)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                        AttributeValue.fromS(SiyuTable.customerPk("acme", "c-1"))))).items().get(0);

        assertThat(Long.parseLong(item.get(SiyuTable.EXPIRES_AT).n()))
                .isEqualTo(at.plus(Duration.ofDays(400)).getEpochSecond());
    }
}
