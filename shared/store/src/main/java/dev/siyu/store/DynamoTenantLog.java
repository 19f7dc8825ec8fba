package dev.siyu.store;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.TimelineEvent;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Tenant-level event streams ({@code T#<t>#<subject>} / {@code EV#...}) and the customer group
 * summary item ({@code T#<t>#GROUP#<chatId>} / {@code GROUP}).
 */
public final class DynamoTenantLog implements TenantLog {
    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoTenantLog(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public void append(String tenant, String subject, TimelineEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(ProfileItems.eventItem(tenant, "-", event));
        item.put(SiyuTable.PK, AttributeValue.fromS(SiyuTable.tenant(tenant) + "#" + subject));
        meter.write(dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).consumedCapacity());
    }

    @Override
    public void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
        String subject = "GROUP#" + chatId;
        meter.write(dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                .key(SiyuTable.key(SiyuTable.tenant(tenant) + "#" + subject, "GROUP"))
                .updateExpression("SET #status = :status, #updated = :at ADD #members :delta")
                .expressionAttributeNames(Map.of("#status", "status", "#updated", "updated_at", "#members", "member_count"))
                .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status),
                        ":at", AttributeValue.fromS(event.at().toString()),
                        ":delta", AttributeValue.fromN(Integer.toString(memberDelta))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).consumedCapacity());
        append(tenant, subject, event);
    }
}
