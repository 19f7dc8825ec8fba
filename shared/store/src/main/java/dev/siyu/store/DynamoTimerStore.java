package dev.siyu.store;

import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link TimerStore} as the table's timer items: {@code TIMER#yyyyMMddHHmm#shard} /
 * {@code <dueMillis, 13 digits>#<tenant>#<runId>#<step>}, the step's fields as attributes.
 *
 * <p>Claiming is a DeleteItem conditioned on the item existing, returning ALL_OLD: of two sweepers
 * deleting the same timer only one gets the old image, the other a conditional failure, and the
 * old image (not the possibly older Query result) is what gets handed over. Costs per timer: 1
 * write to put, 1 to claim; reading a bucket shard is one Query (0.5 unit per 4 KB, strongly
 * consistent so a timer put back moments ago is seen).
 */
public final class DynamoTimerStore implements TimerStore {
    private static final String TENANT = "tenant";
    private static final String CUSTOMER = "customer_id";
    private static final String JOURNEY = "journey";
    private static final String RUN = "run_id";
    private static final String STEP = "step";
    private static final String DUE = "due_at";
    private static final String PAYLOAD = "payload";
    private static final String MINUTE = "minute";
    /** Epoch millis until which a sweeper holds the timer (see TimerSweep). */
    private static final String LEASE = "lease_until";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final BatchWriter batches;

    public DynamoTimerStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.batches = new BatchWriter(dynamo, table, meter);
    }

    @Override
    public void put(Timer timer) {
        DueStep s = timer.step();
        SiyuTable.tenant(s.tenant());
        Map<String, AttributeValue> item = new HashMap<>(key(timer));
        item.put(TENANT, AttributeValue.fromS(s.tenant()));
        item.put(CUSTOMER, AttributeValue.fromS(s.customerId()));
        item.put(JOURNEY, AttributeValue.fromS(s.journey()));
        item.put(RUN, AttributeValue.fromS(s.runId()));
        item.put(STEP, Attrs.number(s.step()));
        Attrs.putInstant(item, DUE, s.dueAt());
        if (!s.payload().isEmpty()) {
            Map<String, AttributeValue> payload = new HashMap<>();
            s.payload().forEach((k, v) -> payload.put(k, AttributeValue.fromS(v)));
            item.put(PAYLOAD, AttributeValue.fromM(payload));
        }
        // Unconditional: the same run and step scheduled twice is one timer, not two.
        PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    @Override
    public List<Timer> due(Instant minute, int shard) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SiyuTable.timerPk(minute, shard))))
                        .consistentRead(true))
                .stream().map(item -> new Timer(minute, shard, step(item))).toList();
    }

    @Override
    public Optional<DueStep> claim(Timer timer, Instant now, Instant leaseUntil) {
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(timer))
                    .updateExpression("SET #lease = :until")
                    .conditionExpression("attribute_exists(#pk) AND (attribute_not_exists(#lease) OR #lease < :now)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#lease", LEASE))
                    .expressionAttributeValues(Map.of(":until", Attrs.number(leaseUntil.toEpochMilli()),
                            ":now", Attrs.number(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return Optional.of(step(r.attributes()));
        } catch (ConditionalCheckFailedException claimedElsewhere) {
            meter.rejectedWrite(1.0);
            return Optional.empty();
        }
    }

    @Override
    public void remove(List<Timer> sent) {
        batches.deleteAll(sent.stream().map(DynamoTimerStore::key).toList());
    }

    @Override
    public Optional<Instant> lastSwept() {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.timerCursorKey())
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        Map<String, AttributeValue> item = r.item();
        if (item == null || !item.containsKey(MINUTE)) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Attrs.number(item, MINUTE) * 60));
    }

    @Override
    public void markSwept(Instant minute) {
        long epochMinute = Timer.minuteOf(minute).getEpochSecond() / 60;
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.timerCursorKey())
                    .updateExpression("SET #m = :m")
                    .conditionExpression("attribute_not_exists(#m) OR #m < :m")
                    .expressionAttributeNames(Map.of("#m", MINUTE))
                    .expressionAttributeValues(Map.of(":m", Attrs.number(epochMinute)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException newerSweepFinished) {
            meter.rejectedWrite(1.0);
        }
    }

    private static Map<String, AttributeValue> key(Timer timer) {
        return SiyuTable.key(SiyuTable.timerPk(timer.minute(), timer.shard()),
                SiyuTable.timerSk(timer.step().dueAt(), timer.step().id()));
    }

    private static DueStep step(Map<String, AttributeValue> item) {
        Map<String, String> payload = new HashMap<>();
        AttributeValue p = item.get(PAYLOAD);
        if (p != null && p.hasM()) {
            p.m().forEach((k, v) -> payload.put(k, v.s()));
        }
        return new DueStep(Attrs.string(item, TENANT), Attrs.string(item, CUSTOMER), Attrs.string(item, JOURNEY),
                Attrs.string(item, RUN), (int) Attrs.number(item, STEP), Attrs.instant(item, DUE), payload);
    }
}
