package dev.siyu.store;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.JourneyRunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link JourneyRunStore} as run items: {@code T#<t>#C#<customerId>} /
 * {@code S#J#<journey>#<runId>}, next to the customer's profile under the state prefix (see
 * {@link DynamoCustomerStore#snapshot}). Tenant, customer, journey and run id
 * live only in the key.
 *
 * <p>Every change is one conditional write on the run item, so the condition and the change are
 * one atomic step: of several workers handed the same step, the one whose {@code step = from}
 * still holds moves it on and every other is refused. A run item is a couple of hundred bytes, so
 * each write, accepted or refused, costs 1 write unit.
 *
 * <p>Reads are strongly consistent: a worker claims the step it read, and a stale read (a step
 * behind) would make its claim fail as if another worker had taken the step, silently dropping it.
 */
public final class DynamoJourneyRunStore implements JourneyRunStore {
    private static final String VERSION = "version";
    private static final String STEP = "step";
    private static final String ANCHOR = "anchor";
    private static final String CYCLE = "cycle";
    private static final String STARTED_AT = "started_at";
    private static final String STATUS = "status";
    private static final String ENDED_AT = "ended_at";
    private static final String END_REASON = "end_reason";
    private static final String GOAL_REACHED_AT = "goal_reached_at";
    /** A run item is far below 1 KB: a refused conditional write is charged 1 unit. */
    private static final double SMALL_ITEM_WRITE_UNITS = 1.0;
    private static final AttributeValue ACTIVE = AttributeValue.fromS(JourneyRun.Status.ACTIVE.name());

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoJourneyRunStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public boolean start(JourneyRun run) {
        Map<String, AttributeValue> item = new HashMap<>(key(run.tenant(), run.customerId(), run.journey(), run.runId()));
        item.put(VERSION, Attrs.number(run.version()));
        item.put(STEP, Attrs.number(run.step()));
        Attrs.putInstant(item, ANCHOR, run.anchor());
        // ISO-8601 (PT720H): readable in the console and parsed back exactly.
        Attrs.putString(item, CYCLE, run.cycle() == null ? null : run.cycle().toString());
        Attrs.putInstant(item, STARTED_AT, run.startedAt());
        item.put(STATUS, AttributeValue.fromS(run.status().name()));
        Attrs.putInstant(item, ENDED_AT, run.endedAt());
        Attrs.putString(item, END_REASON, run.endReason());
        Attrs.putInstant(item, GOAL_REACHED_AT, run.goalReachedAt());
        try {
            PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException duplicateTrigger) {
            meter.rejectedWrite(SMALL_ITEM_WRITE_UNITS);
            return false;
        }
    }

    @Override
    public Optional<JourneyRun> run(String tenant, String customerId, String journey, String runId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, customerId, journey, runId))
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(run(tenant, customerId, r.item())) : Optional.empty();
    }

    /**
     * One Query over the customer's {@code S#J#} items: they sort by journey and run id, so the
     * "oldest first" order is made here, by start time.
     */
    @Override
    public List<JourneyRun> runs(String tenant, String customerId) {
        List<JourneyRun> runs = new ArrayList<>();
        QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :j)")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                                ":j", AttributeValue.fromS(SiyuTable.JOURNEY_RUN_SK_PREFIX)))
                        .consistentRead(true))
                .forEach(item -> runs.add(run(tenant, customerId, item)));
        return CustomerSnapshots.Snapshot.sorted(runs);
    }

    @Override
    public boolean claim(String tenant, String customerId, String journey, String runId, int from) {
        requireStep(from);
        return moveStep(key(tenant, customerId, journey, runId), from, from + 1);
    }

    /** Only gives back what this worker took: if the run moved on or ended meanwhile, nothing changes. */
    @Override
    public void unclaim(String tenant, String customerId, String journey, String runId, int from) {
        requireStep(from);
        moveStep(key(tenant, customerId, journey, runId), from + 1, from);
    }

    private boolean moveStep(Map<String, AttributeValue> key, int from, int to) {
        return conditionalUpdate(key, "SET #step = :to",
                "#step = :from AND #status = :active",
                Map.of("#step", STEP, "#status", STATUS),
                Map.of(":from", Attrs.number(from), ":to", Attrs.number(to), ":active", ACTIVE));
    }

    @Override
    public boolean end(String tenant, String customerId, String journey, String runId, int atStep,
                       JourneyRun.Status status, String reason, Instant at) {
        if (status == null || status == JourneyRun.Status.ACTIVE) {
            throw new IllegalArgumentException("a run ends as COMPLETED or EXITED, not " + status);
        }
        Map<String, String> names = new HashMap<>(Map.of("#step", STEP, "#status", STATUS, "#ended", ENDED_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", Attrs.number(atStep),
                ":active", ACTIVE, ":how", AttributeValue.fromS(status.name()),
                ":ended", AttributeValue.fromS(at.toString())));
        String update = "SET #status = :how, #ended = :ended";
        if (reason != null) {
            names.put("#reason", END_REASON);
            values.put(":reason", AttributeValue.fromS(reason));
            update += ", #reason = :reason";
        }
        return conditionalUpdate(key(tenant, customerId, journey, runId), update,
                "#step = :at AND #status = :active", names, values);
    }

    /** Whatever the run's status: a customer may convert after the run ended and still count for it. */
    @Override
    public boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at) {
        return conditionalUpdate(key(tenant, customerId, journey, runId), "SET #goal = :at",
                "attribute_exists(#pk) AND attribute_not_exists(#goal)",
                Map.of("#pk", SiyuTable.PK, "#goal", GOAL_REACHED_AT),
                Map.of(":at", AttributeValue.fromS(at.toString())));
    }

    /** True when the condition held and the change was made; a refused write is still charged. */
    private boolean conditionalUpdate(Map<String, AttributeValue> key, String update, String condition,
                                      Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException refused) {
            meter.rejectedWrite(SMALL_ITEM_WRITE_UNITS);
            return false;
        }
    }

    private static void requireStep(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("steps count from 0: " + step);
        }
    }

    private static Map<String, AttributeValue> key(String tenant, String customerId, String journey, String runId) {
        return SiyuTable.key(SiyuTable.customerPk(tenant, customerId), SiyuTable.journeyRunSk(journey, runId));
    }

    /** A run item read by any Query of the customer's partition (this store's, or the state read's). */
    static JourneyRun run(String tenant, String customerId, Map<String, AttributeValue> item) {
        // S#J#<journey>#<runId>: the journey name holds no '#', so the first one after the prefix ends it.
        String sk = item.get(SiyuTable.SK).s().substring(SiyuTable.JOURNEY_RUN_SK_PREFIX.length());
        int split = sk.indexOf('#');
        String cycle = Attrs.string(item, CYCLE);
        return new JourneyRun(tenant, customerId, sk.substring(0, split), sk.substring(split + 1),
                Attrs.number(item, VERSION), (int) Attrs.number(item, STEP), Attrs.instant(item, ANCHOR),
                cycle == null ? null : Duration.parse(cycle), Attrs.instant(item, STARTED_AT),
                JourneyRun.Status.valueOf(Attrs.string(item, STATUS)), Attrs.instant(item, ENDED_AT),
                Attrs.string(item, END_REASON), Attrs.instant(item, GOAL_REACHED_AT));
    }
}
