package dev.siyu.store;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.StepCommit;
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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
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
    private static final String LEASE_OWNER = "lease_owner";
    /** Epoch millis, compared in conditions. */
    private static final String LEASE_UNTIL = "lease_until";
    private static final String STEPPED_AT = "stepped_at";
    /** The customer's marker for one journey: how many runs of it were started through it. */
    private static final String MARKER_SK_PREFIX = "S#JM#";
    private static final String MARKER_COUNT = "n";
    /** A run item is far below 1 KB: a refused conditional write is charged 1 unit. */
    private static final double SMALL_ITEM_WRITE_UNITS = 1.0;
    private static final AttributeValue ACTIVE = AttributeValue.fromS(JourneyRun.Status.ACTIVE.name());

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final Transactions transactions;

    public DynamoJourneyRunStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.transactions = new Transactions(dynamo, meter);
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

    /**
     * One TransactWriteItems: the run (if new), the journey's marker (if it still counts {@code seen}) and the
     * superseded runs' ends (if still active at the step read). 2 write units per item.
     */
    @Override
    public boolean start(JourneyRun run, int seen, List<JourneyRun> superseding) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(run))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK)).build()).build());
        items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(SiyuTable.key(SiyuTable.customerPk(run.tenant(), run.customerId()), MARKER_SK_PREFIX + run.journey()))
                .updateExpression("SET #n = :next")
                .conditionExpression("attribute_not_exists(#n) OR #n = :seen")
                .expressionAttributeNames(Map.of("#n", MARKER_COUNT))
                .expressionAttributeValues(Map.of(":next", Attrs.number(seen + 1L), ":seen", Attrs.number(seen)))
                .build()).build());
        // The lease is compared with when the start is written (steppedAt, the writer's clock), not with the
        // trigger's time: a trigger retried after the old step's lease lapsed must be able to supersede it.
        Instant at = run.steppedAt() == null ? run.startedAt() : run.steppedAt();
        for (JourneyRun old : superseding) {
            items.add(TransactWriteItem.builder().update(update(new StepCommit.RunChange(old.tenant(), old.customerId(),
                    old.journey(), old.runId(), old.step(), null, old.step(), JourneyRun.Status.EXITED, "superseded",
                    at))).build());
        }
        return transactions.write(items);
    }

    private static Map<String, AttributeValue> item(JourneyRun run) {
        Map<String, AttributeValue> item = new HashMap<>(key(run.tenant(), run.customerId(), run.journey(), run.runId()));
        item.put(VERSION, Attrs.number(run.version()));
        item.put(STEP, Attrs.number(run.step()));
        Attrs.putInstant(item, ANCHOR, run.anchor());
        // Cycle as ISO-8601 (PT720H): readable in the console and parsed back exactly.
        Attrs.putString(item, CYCLE, run.cycle() == null ? null : run.cycle().toString());
        Attrs.putInstant(item, STARTED_AT, run.startedAt());
        item.put(STATUS, AttributeValue.fromS(run.status().name()));
        Attrs.putInstant(item, ENDED_AT, run.endedAt());
        Attrs.putString(item, END_REASON, run.endReason());
        Attrs.putInstant(item, GOAL_REACHED_AT, run.goalReachedAt());
        Attrs.putInstant(item, STEPPED_AT, run.steppedAt());
        return item;
    }

    /** One conditional UpdateItem of 1 write unit, accepted or refused. */
    @Override
    public boolean lease(String tenant, String customerId, String journey, String runId, int step, String owner,
                         Instant now, Instant until) {
        requireStep(step);
        return conditionalUpdate(key(tenant, customerId, journey, runId), "SET #owner = :owner, #until = :until",
                "#step = :step AND #status = :active AND (attribute_not_exists(#owner) OR #owner = :owner"
                        + " OR #until < :now)",
                Map.of("#step", STEP, "#status", STATUS, "#owner", LEASE_OWNER, "#until", LEASE_UNTIL),
                Map.of(":step", Attrs.number(step), ":active", ACTIVE, ":owner", AttributeValue.fromS(owner),
                        ":until", Attrs.number(until.toEpochMilli()), ":now", Attrs.number(now.toEpochMilli())));
    }

    /** Alone (a lease given back): one conditional UpdateItem; with a step's writes see {@link DynamoCustomerStore#commitStep}. */
    @Override
    public boolean advance(StepCommit.RunChange change) {
        Update u = update(change);
        return conditionalUpdate(u.key(), u.updateExpression(), u.conditionExpression(), u.expressionAttributeNames(),
                u.expressionAttributeValues());
    }

    /**
     * The run item's part of a step's commit: the move, the end, the lease freed, on the condition that the run
     * is ACTIVE at the step and the lease is the committer's (or, without one, nobody's unexpired).
     */
    Update update(StepCommit.RunChange c) {
        requireStep(c.step());
        Map<String, String> names = new HashMap<>(Map.of("#step", STEP, "#status", STATUS, "#owner", LEASE_OWNER,
                "#until", LEASE_UNTIL));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":step", Attrs.number(c.step()), ":active", ACTIVE));
        StringBuilder set = new StringBuilder();
        if (c.next() != c.step()) {
            names.put("#stepped", STEPPED_AT);
            values.put(":next", Attrs.number(c.next()));
            values.put(":at", AttributeValue.fromS(c.at().toString()));
            set.append("#step = :next, #stepped = :at");
        }
        if (c.endAs() != null) {
            names.put("#ended", ENDED_AT);
            values.put(":how", AttributeValue.fromS(c.endAs().name()));
            values.put(":ended", AttributeValue.fromS(c.at().toString()));
            set.append(set.length() == 0 ? "" : ", ").append("#status = :how, #ended = :ended");
            if (c.endReason() != null) {
                names.put("#reason", END_REASON);
                values.put(":reason", AttributeValue.fromS(c.endReason()));
                set.append(", #reason = :reason");
            }
        }
        String condition = "#step = :step AND #status = :active AND ";
        if (c.owner() == null) {
            values.put(":now", Attrs.number(c.at().toEpochMilli()));
            condition += "(attribute_not_exists(#owner) OR #until < :now)";
        } else {
            values.put(":owner", AttributeValue.fromS(c.owner()));
            condition += "#owner = :owner";
        }
        String expression = (set.length() == 0 ? "" : "SET " + set + " ") + "REMOVE #owner, #until";
        return Update.builder().tableName(table).key(key(c.tenant(), c.customerId(), c.journey(), c.runId()))
                .updateExpression(expression).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
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
                Attrs.string(item, END_REASON), Attrs.instant(item, GOAL_REACHED_AT), Attrs.string(item, LEASE_OWNER),
                item.containsKey(LEASE_UNTIL) ? Instant.ofEpochMilli(Attrs.number(item, LEASE_UNTIL)) : null,
                Attrs.instant(item, STEPPED_AT));
    }
}
