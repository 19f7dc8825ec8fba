package dev.siyu.store;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.TenantLog.Repair;
import dev.siyu.core.profile.TimelineEvent;
import java.time.ZoneOffset;
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
 * Tenant-level event streams ({@code T#<t>#<subject>} / {@code EV#...}), the customer group
 * summary ({@code T#<t>#GROUP#<chatId>} / {@code GROUP} and its listing entry, see {@link GroupItems}),
 * and pending repairs ({@code T#<t>#REPAIRS} / {@code <kind>#<key>}): one partition the reconciler reads
 * with one Query, written only when a side effect failed, so it stays small and cold.
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
        Map<String, AttributeValue> item = logItem(tenant, subject, event);
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

    private static final String REPAIRS = "#REPAIRS";

    private Map<String, AttributeValue> repairKey(String tenant, Repair r) {
        return SiyuTable.key(SiyuTable.tenant(tenant) + REPAIRS, r.kind() + "#" + r.key());
    }

    /** Put only if absent: a repair recorded again keeps its attempts. */
    @Override
    public void needsRepair(String tenant, Repair repair) {
        Map<String, AttributeValue> item = new HashMap<>(repairKey(tenant, repair));
        item.put("kind", AttributeValue.fromS(repair.kind()));
        item.put("key", AttributeValue.fromS(repair.key()));
        item.put("at", AttributeValue.fromS(repair.at().toString()));
        item.put("attempts", Attrs.number(repair.attempts()));
        Map<String, AttributeValue> details = new HashMap<>();
        repair.details().forEach((k, v) -> details.put(k, AttributeValue.fromS(v == null ? "" : v)));
        item.put("details", AttributeValue.fromM(details));
        try {
            meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException recorded) {
            meter.rejectedWrite(1.0);
        }
    }

    @Override
    public List<Repair> repairs(String tenant, int limit) {
        List<Repair> out = new ArrayList<>();
        // One page of at most limit: a run repairs that many, the next run the rest.
        software.amazon.awssdk.services.dynamodb.model.QueryResponse page = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SiyuTable.tenant(tenant) + REPAIRS)))
                .consistentRead(true)
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(page.consumedCapacity());
        for (Map<String, AttributeValue> item : page.items()) {
            Map<String, String> details = new HashMap<>();
            AttributeValue d = item.get("details");
            if (d != null && d.hasM()) {
                d.m().forEach((k, v) -> details.put(k, v.s()));
            }
            out.add(new Repair(Attrs.string(item, "kind"), Attrs.string(item, "key"), details,
                    Attrs.instant(item, "at"), (int) Attrs.number(item, "attempts")));
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    @Override
    public void repaired(String tenant, Repair repair) {
        meter.write(dynamo.deleteItem(b -> b.tableName(table).key(repairKey(tenant, repair))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
    }

    @Override
    public void repairFailed(String tenant, Repair repair) {
        try {
            meter.write(dynamo.updateItem(b -> b.tableName(table).key(repairKey(tenant, repair))
                    .updateExpression("ADD attempts :one")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                    .expressionAttributeValues(Map.of(":one", Attrs.number(1)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException gone) {
            meter.rejectedWrite(1.0);
        }
    }

    private static Map<String, AttributeValue> logItem(String tenant, String subject, TimelineEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(ProfileItems.eventItem(tenant, "-", event));
        item.put(SiyuTable.PK, AttributeValue.fromS(logPk(tenant, subject, event)));
        return item;
    }
}
