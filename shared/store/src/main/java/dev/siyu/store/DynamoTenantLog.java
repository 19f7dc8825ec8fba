package dev.siyu.store;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.TimelineEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Tenant-level event streams ({@code T#<t>#<subject>} / {@code EV#...}) and the customer group
 * summary ({@code T#<t>#GROUP#<chatId>} / {@code GROUP} and its listing entry, see {@link GroupItems}).
 */
public final class DynamoTenantLog implements TenantLog {
    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final Transactions transactions;

    public DynamoTenantLog(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.transactions = new Transactions(dynamo, meter);
    }

    @Override
    public void append(String tenant, String subject, TimelineEvent event) {
        Map<String, AttributeValue> item = logItem(tenant, subject, event);
        meter.write(dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).consumedCapacity());
    }

    /**
     * The same change on the group's own item and on its entry in the tenant's group listing, and the log
     * entry, in one transaction (6 write units): the entry is put only if it is not there yet, so a redone
     * callback (same event id and time) is refused whole and its member change is not counted twice, and
     * {@link DynamoGroupStore#groups} lists what the callbacks saw.
     */
    @Override
    public void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
        List<TransactWriteItem> items = new ArrayList<>(GroupItems.updateSummaries(table, tenant, chatId,
                "SET #status = :status, #updated = :at ADD #members :delta",
                Map.of("#status", GroupItems.STATUS, "#updated", GroupItems.UPDATED_AT, "#members", GroupItems.MEMBER_COUNT),
                Map.of(":status", AttributeValue.fromS(status),
                        ":at", AttributeValue.fromS(event.at().toString()),
                        ":delta", AttributeValue.fromN(Integer.toString(memberDelta)))));
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(logItem(tenant, "GROUP#" + chatId, event))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK)).build()).build());
        // false: this very entry is logged already, with its count.
        transactions.write(items);
    }

    private static Map<String, AttributeValue> logItem(String tenant, String subject, TimelineEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(ProfileItems.eventItem(tenant, "-", event));
        item.put(SiyuTable.PK, AttributeValue.fromS(SiyuTable.tenant(tenant) + "#" + subject));
        return item;
    }
}
