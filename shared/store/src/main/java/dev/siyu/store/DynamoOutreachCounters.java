package dev.siyu.store;

import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link OutreachCounters} as touch records: one item {@code S#T#<millis>#<touch id>} per touch under the customer's
 * partition (a group's pseudo-customer {@code group:<chatId>} has a partition of its own), with a TTL
 * {@code expires_at} shortly after the touch's calendar month ({@link TouchRecord#expiresAt}). Caps and
 * the content mix are computed from them ({@link dev.siyu.core.port.TouchLog}).
 *
 * <p>Why records and not counters bumped with ADD: a record is a plain put keyed by the touch, so a
 * retried touch counts once and concurrent senders never lose one, and a put can travel in the same
 * BatchWriteItem as the step's timeline event (BatchWriteItem carries no ADD): a journey touch costs no
 * request of its own. The records sort under the state prefix, so the step's one state Query
 * ({@link DynamoCustomerStore#snapshot}) reads them with the profile and the runs; a customer's month of
 * touches is a few dozen items of ~100 bytes, well inside that Query's read units.
 *
 * <p>Reading alone is one strongly consistent Query on {@code begins_with(sk, "S#T#")}: the counts are
 * all that stands between a customer and a fifth mass message, and a sender reads right after the
 * previous touch was recorded. Writing one record alone is one PutItem of 1 write unit.
 */
public final class DynamoOutreachCounters implements OutreachCounters {
    private static final String AT = "at";
    private static final String CHANNEL = "ch";
    private static final String CONTENT = "c";
    private static final String JOURNEY_STEP = "j";
    private static final String SEQ = "seq";
    private static final String BEFORE = "before";
    private static final String STATUS = "st";
    private static final String OUTCOME = "out";
    /**
     * One small item per reserved seq, on the audience's partition outside the state prefix (nothing reads it):
     * its conditional put is what makes a seq, and so a cap slot, go to one sender.
     */
    private static final String SEQ_SK_PREFIX = "TQ#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final Transactions transactions;

    public DynamoOutreachCounters(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.transactions = new Transactions(dynamo, meter);
    }

    @Override
    public List<TouchRecord> touches(String tenant, String customerId) {
        // More than one page only if expired items pile up past 1 MB, which TTL prevents; paged anyway.
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :t)")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                                ":t", AttributeValue.fromS(SiyuTable.TOUCH_SK_PREFIX)))
                        .consistentRead(true))
                .stream().map(item -> touch(customerId, item)).toList();
    }

    /** One Query, newest first, stopping after n records: a group's window without its month of posts. */
    @Override
    public List<TouchRecord> latestTouches(String tenant, String customerId, int n) {
        QueryResponse r = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :t)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                        ":t", AttributeValue.fromS(SiyuTable.TOUCH_SK_PREFIX)))
                .scanIndexForward(false)
                .limit(n)
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.items().stream().map(item -> touch(customerId, item)).toList();
    }

    @Override
    public void record(String tenant, TouchRecord touch, ZoneId tenantZone) {
        Map<String, AttributeValue> item = item(tenant, touch, tenantZone);
        PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    /**
     * One TransactWriteItems of two small items, 4 write units: the intent record and its seq's item, put only
     * if that seq is free (never reserved, or its reservation expired with its record).
     */
    @Override
    public boolean reserve(String tenant, TouchRecord intent, ZoneId tenantZone) {
        Instant expires = intent.expiresAt(tenantZone);
        Map<String, AttributeValue> seq = new HashMap<>(SiyuTable.key(SiyuTable.customerPk(tenant, intent.customerId()),
                SEQ_SK_PREFIX + intent.seq()));
        seq.put(SiyuTable.EXPIRES_AT, Attrs.number(expires.getEpochSecond()));
        return transactions.write(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(tenant, intent, tenantZone)).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(seq)
                        .conditionExpression("attribute_not_exists(#pk) OR #exp < :now")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#exp", SiyuTable.EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":now", Attrs.number(intent.at().getEpochSecond())))
                        .build()).build()));
    }

    static Map<String, AttributeValue> item(String tenant, TouchRecord t, ZoneId zone) {
        Map<String, AttributeValue> item = new HashMap<>(
                SiyuTable.key(SiyuTable.customerPk(tenant, t.customerId()), SiyuTable.touchSk(t.at(), t.id())));
        item.put(AT, Attrs.number(t.at().toEpochMilli()));
        item.put(CHANNEL, AttributeValue.fromS(t.channel().name()));
        if (t.content() != null) {
            item.put(CONTENT, AttributeValue.fromS(String.valueOf(TouchRecord.code(t.content()))));
        }
        if (t.journeyStep()) {
            item.put(JOURNEY_STEP, AttributeValue.fromBool(true));
        }
        item.put(SEQ, Attrs.number(t.seq()));
        Attrs.putString(item, BEFORE, t.before().isEmpty() ? null : t.before());
        if (t.status() != TouchRecord.Status.SENT) {
            item.put(STATUS, AttributeValue.fromS(t.status().name()));
        }
        Attrs.putString(item, OUTCOME, t.outcome());
        item.put(SiyuTable.EXPIRES_AT, Attrs.number(t.expiresAt(zone).getEpochSecond()));
        return item;
    }

    static TouchRecord touch(String customerId, Map<String, AttributeValue> item) {
        String id = SiyuTable.touchId(item.get(SiyuTable.SK).s());
        String content = Attrs.string(item, CONTENT);
        AttributeValue journey = item.get(JOURNEY_STEP);
        return new TouchRecord(customerId, id, Instant.ofEpochMilli(Attrs.number(item, AT)),
                Channel.valueOf(Attrs.string(item, CHANNEL)),
                content == null ? null : content.charAt(0) == TouchRecord.PROMOTIONAL_CODE
                        ? ContentClass.PROMOTIONAL : ContentClass.VALUE,
                journey != null && Boolean.TRUE.equals(journey.bool()), Attrs.number(item, SEQ),
                Attrs.string(item, BEFORE), item.containsKey(STATUS)
                        ? TouchRecord.Status.valueOf(Attrs.string(item, STATUS)) : TouchRecord.Status.SENT,
                Attrs.string(item, OUTCOME));
    }
}
