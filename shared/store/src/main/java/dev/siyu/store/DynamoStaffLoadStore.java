package dev.siyu.store;

import dev.siyu.core.channel.PoolLoad;
import dev.siyu.core.port.StaffLoadStore;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link StaffLoadStore} as one item per pool (see {@link SiyuTable} for why this deviates from
 * docs/data-model.md). Attribute names carry user ids, which may hold characters that are not valid in an
 * expression, so every expression names them through placeholders.
 *
 * <p>Write units grow with the item (DynamoDB charges the larger of the before and after image, per
 * KB): a pool of 20 staff is about 1 KB. Yesterday's and older {@code adds_<day>_} attributes are
 * therefore removed once a later day's add sees them, so the item does not grow by a day's worth of
 * attributes forever.
 */
public final class DynamoStaffLoadStore implements StaffLoadStore {
    private static final String ACTIVE = "active_";
    private static final String ADDS = "adds_";
    private static final String ROTATION = "rotation";
    private static final int DAY_LENGTH = 8;
    /** Kept one day back: callers in different time zones may still count against "yesterday". */
    private static final int DAYS_KEPT_BEFORE_TODAY = 1;
    private static final AttributeValue ONE = Attrs.number(1);

    /** How long an operation stays recorded: past every WeCom retry and lease takeover of its callback. */
    private static final java.time.Duration OPERATION_KEPT = java.time.Duration.ofDays(3);

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final Transactions transactions;

    public DynamoStaffLoadStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.transactions = new Transactions(dynamo, meter);
    }

    /**
     * The add counted in one transaction with an operation item ({@code T#<t>#POOL#<pool>#OP#<operation>},
     * put only if absent, expiring after three days): a redone callback's transaction is refused whole and
     * counts nothing. Then one strongly consistent read of the pool for routing (a transaction returns no
     * values). About 2 + 2 x pool KB write units and 1 read unit, where the uncounted add cost 1 x pool KB.
     */
    @Override
    public PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day, String operation) {
        Map<String, String> names = new HashMap<>();
        names.put("#a", ACTIVE + staffUserId);
        names.put("#d", dayAttribute(day, staffUserId));
        names.put("#r", ROTATION);
        transactions.write(List.of(operationItem(tenant, pool, "add", operation),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(SiyuTable.poolKey(tenant, pool))
                        .updateExpression("ADD #a :one, #d :one, #r :one")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":one", ONE)).build()).build()));
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.poolKey(tenant, pool))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        if (!r.hasItem()) {
            return PoolLoad.empty();
        }
        pruneOldDays(tenant, pool, r.item(), day);
        return poolLoad(r.item(), day);
    }

    /**
     * The removal and its operation item in one transaction, never below zero: a redone callback (the
     * first attempt's removal failed, or it died after it) counts it exactly once.
     */
    @Override
    public void recordRemoval(String tenant, String pool, String staffUserId, String operation) {
        transactions.write(List.of(operationItem(tenant, pool, "removal", operation),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(SiyuTable.poolKey(tenant, pool))
                        .updateExpression("ADD #a :minus")
                        .conditionExpression("#a > :zero")
                        .expressionAttributeNames(Map.of("#a", ACTIVE + staffUserId))
                        .expressionAttributeValues(Map.of(":minus", Attrs.number(-1), ":zero", Attrs.number(0)))
                        .build()).build()));
    }

    private TransactWriteItem operationItem(String tenant, String pool, String kind, String operation) {
        Map<String, AttributeValue> item = new HashMap<>(SiyuTable.key(
                SiyuTable.poolKey(tenant, pool).get(SiyuTable.PK).s() + "#OP#" + kind + "#" + operation, "OP"));
        item.put(SiyuTable.EXPIRES_AT, Attrs.number(java.time.Instant.now().plus(OPERATION_KEPT).getEpochSecond()));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK)).build()).build();
    }

    /** Eventually consistent: a counter a moment behind only nudges the balance of the next assignment. */
    @Override
    public PoolLoad load(String tenant, String pool, LocalDate day) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.poolKey(tenant, pool))
                .consistentRead(false)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() ? poolLoad(r.item(), day) : PoolLoad.empty();
    }

    /**
     * The add and the rotation step in one UpdateItem, returning the pool after it, so routing the
     * next customer needs neither another write nor a read.
     */
    @Override
    public PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day) {
        Map<String, String> names = new HashMap<>();
        names.put("#a", ACTIVE + staffUserId);
        names.put("#d", dayAttribute(day, staffUserId));
        names.put("#r", ROTATION);
        String update = "ADD #a :one, #d :one, #r :one";
        // ALL_NEW costs no capacity (units are charged on the write, not the answer) and shows stale days.
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.poolKey(tenant, pool))
                .updateExpression(update)
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":one", ONE))
                .returnValues(ReturnValue.ALL_NEW)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
        pruneOldDays(tenant, pool, r.attributes(), day);
        return poolLoad(r.attributes(), day);
    }

    /** Never below zero: a removal without a matching add (e.g. a customer from before the suite) is ignored. */
    @Override
    public void recordRemoval(String tenant, String pool, String staffUserId) {
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.poolKey(tenant, pool))
                    .updateExpression("ADD #a :minus")
                    .conditionExpression("#a > :zero")
                    .expressionAttributeNames(Map.of("#a", ACTIVE + staffUserId))
                    .expressionAttributeValues(Map.of(":minus", Attrs.number(-1), ":zero", Attrs.number(0)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException alreadyZero) {
            // Charged like a write of the pool item; one unit is the floor of that.
            meter.rejectedWrite(1.0);
        }
    }

    /** ADD is applied atomically on the item, so concurrent callers each get a distinct position. */
    @Override
    public long advanceRotation(String tenant, String pool) {
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.poolKey(tenant, pool))
                .updateExpression("ADD #r :one")
                .expressionAttributeNames(Map.of("#r", ROTATION))
                .expressionAttributeValues(Map.of(":one", ONE))
                .returnValues(ReturnValue.UPDATED_NEW)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
        return Attrs.number(r.attributes(), ROTATION);
    }

    private void pruneOldDays(String tenant, String pool, Map<String, AttributeValue> item, LocalDate day) {
        LocalDate oldestKept = day.minusDays(DAYS_KEPT_BEFORE_TODAY);
        List<String> stale = new ArrayList<>();
        for (String name : item.keySet()) {
            LocalDate attributeDay = addsDay(name);
            if (attributeDay != null && attributeDay.isBefore(oldestKept)) {
                stale.add(name);
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < stale.size(); i++) {
            names.put("#s" + i, stale.get(i));
            placeholders.add("#s" + i);
        }
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.poolKey(tenant, pool))
                .updateExpression("REMOVE " + String.join(", ", placeholders))
                .expressionAttributeNames(names)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    private static String dayAttribute(LocalDate day, String staffUserId) {
        return ADDS + SiyuTable.day(day) + "_" + staffUserId;
    }

    /** The day of an {@code adds_<yyyyMMdd>_<userId>} attribute, or null for any other attribute. */
    private static LocalDate addsDay(String name) {
        int end = ADDS.length() + DAY_LENGTH;
        if (!name.startsWith(ADDS) || name.length() <= end || name.charAt(end) != '_') {
            return null;
        }
        try {
            return SiyuTable.parseDay(name.substring(ADDS.length(), end));
        } catch (DateTimeParseException notADay) {
            return null;
        }
    }

    private static PoolLoad poolLoad(Map<String, AttributeValue> item, LocalDate day) {
        Map<String, Long> active = new HashMap<>();
        Map<String, Long> adds = new HashMap<>();
        String todayPrefix = ADDS + SiyuTable.day(day) + "_";
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            String name = e.getKey();
            if (e.getValue().n() == null) {
                continue;
            }
            long n = Long.parseLong(e.getValue().n());
            if (name.startsWith(ACTIVE)) {
                // Clamped too: a removal racing an add's condition check must not show a negative load.
                active.put(name.substring(ACTIVE.length()), Math.max(0, n));
            } else if (name.startsWith(todayPrefix)) {
                adds.put(name.substring(todayPrefix.length()), n);
            }
        }
        return new PoolLoad(active, adds, Attrs.number(item, ROTATION));
    }

    /** One partition per tenant ({@code T#<t>#DEPARTED}, sort key the userid): read whole by offboarding and routing. */
    private Map<String, AttributeValue> departedKey(String tenant, String staffUserId) {
        return SiyuTable.key(SiyuTable.tenant(tenant) + "#DEPARTED", staffUserId);
    }

    /** Put only if absent: the first mark (and its time) stays. */
    @Override
    public void markDeparted(String tenant, String staffUserId, String reason, java.time.Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(departedKey(tenant, staffUserId));
        item.put("reason", AttributeValue.fromS(reason));
        item.put("at", AttributeValue.fromS(at.toString()));
        try {
            meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (ConditionalCheckFailedException marked) {
            meter.rejectedWrite(1.0);
        }
    }

    /** Unconditional: lifting a mark already gone deletes nothing. */
    @Override
    public void liftDeparted(String tenant, String staffUserId) {
        meter.write(dynamo.deleteItem(b -> b.tableName(table).key(departedKey(tenant, staffUserId))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
    }

    @Override
    public Map<String, Departure> departed(String tenant) {
        Map<String, Departure> out = new java.util.TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            software.amazon.awssdk.services.dynamodb.model.QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                    .expressionAttributeValues(Map.of(":pk",
                            AttributeValue.fromS(SiyuTable.tenant(tenant) + "#DEPARTED")))
                    .exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.read(page.consumedCapacity());
            for (Map<String, AttributeValue> item : page.items()) {
                String user = item.get(SiyuTable.SK).s();
                out.put(user, new Departure(user, Attrs.string(item, "reason"), Attrs.instant(item, "at")));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
