package dev.siyu.store;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.TimelineEvent;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Tenant-level event streams ({@code T#<t>#<subject>} / {@code EV#...}) and the customer group
 * summary ({@code T#<t>#GROUP#<chatId>} / {@code GROUP} and its listing entry, see {@link GroupItems}).
 */
public final class DynamoTenantLog implements TenantLog {
    static final int LOG_SHARDS = 8;

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
        Map<String, AttributeValue> item = new HashMap<>(ProfileItems.eventItem(tenant, "-", event));
        item.put(SiyuTable.PK, AttributeValue.fromS(logPk(tenant, subject, event)));
        meter.write(dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).consumedCapacity());
    }

    /**
     * A group's log stays under the group's key (its events come at the pace of one group's members). A
     * tenant-wide stream ({@code UNHANDLED}, {@code TAGS}, {@code TRANSFERS}) is split by UTC day and into
     * {@link #LOG_SHARDS} partitions by event id: one partition key took every such event of the tenant, and
     * DynamoDB serves one partition about 1,000 writes a second (docs/measurements.md, Hot items).
     */
    static String logPk(String tenant, String subject, TimelineEvent event) {
        if (subject.startsWith("GROUP#")) {
            return SiyuTable.tenant(tenant) + "#" + subject;
        }
        return SiyuTable.tenant(tenant) + "#" + subject + "#" + SiyuTable.day(event.at().atZone(ZoneOffset.UTC).toLocalDate())
                + "#" + Math.floorMod(event.eventId().hashCode(), LOG_SHARDS);
    }

    /**
     * The same change on the group's own item and on its entry in the tenant's group listing, in one
     * transaction (4 write units), so {@link DynamoGroupStore#groups} lists what the callbacks saw.
     */
    @Override
    public void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
        transactions.write(GroupItems.updateSummaries(table, tenant, chatId,
                "SET #status = :status, #updated = :at ADD #members :delta",
                Map.of("#status", GroupItems.STATUS, "#updated", GroupItems.UPDATED_AT, "#members", GroupItems.MEMBER_COUNT),
                Map.of(":status", AttributeValue.fromS(status),
                        ":at", AttributeValue.fromS(event.at().toString()),
                        ":delta", AttributeValue.fromN(Integer.toString(memberDelta)))));
        append(tenant, "GROUP#" + chatId, event);
    }
}
