package dev.siyu.store;

import dev.siyu.core.miniapp.Subscription;
import dev.siyu.core.miniapp.SubscriptionState;
import dev.siyu.core.miniapp.SubscriptionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link SubscriptionStore} as one item per member and template in the customer's partition,
 * {@code T#<t>#C#<id>} / {@code MP#SUB#<templateId>}: {@code n} the messages left, {@code acc} the accepts ever,
 * {@code result} and {@code at} the latest answer, {@code held} the touches that took a message WeChat has not
 * answered (touch id to the accepts then and when), {@code req} the recent answers' request ids, {@code v} the
 * version. Every change reads the item, applies the {@link SubscriptionState} rule and puts it back on condition
 * the version is unchanged (a merge: both items in one transaction), so what WeChat answered and the count change
 * in one write. The sort keys sit outside the state ({@code S#}) and timeline ({@code EV#}) ranges: a step's state
 * Query never reads them.
 */
public final class DynamoSubscriptionStore implements SubscriptionStore {
    static final String SK_PREFIX = "MP#SUB#";
    private static final String N = "n";
    private static final String ACCEPTS = "acc";
    private static final String RESULT = "result";
    private static final String AT = "at";
    private static final String HELD = "held";
    private static final String REQUESTS = "req";
    private static final String VERSION = "v";
    private static final String TEMPLATE = "template_id";
    /** Concurrent changes of one member's template are rare (a tap and a send); each try re-reads. */
    private static final int ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final Transactions transactions;

    public DynamoSubscriptionStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.transactions = new Transactions(dynamo, meter);
    }

    @Override
    public List<Subscription> subscriptions(String tenant, String customerId) {
        return states(tenant, customerId).stream().map(SubscriptionState::subscription).toList();
    }

    private List<SubscriptionState> states(String tenant, String customerId) {
        List<SubscriptionState> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :sk)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant,
                            customerId)), ":sk", AttributeValue.fromS(SK_PREFIX)))
                    .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.read(r.consumedCapacity());
            r.items().forEach(i -> out.add(state(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** One GetItem: the journey worker reads the one template a step names. */
    @Override
    public Optional<Subscription> subscription(String tenant, String customerId, String templateId) {
        return read(tenant, customerId, templateId).map(SubscriptionState::subscription);
    }

    private Optional<SubscriptionState> read(String tenant, String customerId, String templateId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(state(r.item())) : Optional.empty();
    }

    /** Reads, applies the rule and writes back on the version read; the state as written (or unchanged). */
    private SubscriptionState change(String tenant, String customerId, String templateId, boolean create,
                                     UnaryOperator<SubscriptionState> how) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<SubscriptionState> had = read(tenant, customerId, templateId);
            if (had.isEmpty() && !create) {
                return SubscriptionState.none(templateId);
            }
            SubscriptionState was = had.orElse(SubscriptionState.none(templateId));
            SubscriptionState now = how.apply(was);
            if (now.equals(was)) {
                return was;
            }
            try {
                var r = dynamo.putItem(putRequest(tenant, customerId, now, was.version()));
                meter.write(r.consumedCapacity());
                return now.withVersion(was.version() + 1);
            } catch (ConditionalCheckFailedException changed) {
                meter.rejectedWrite(1.0);
            }
        }
        throw new IllegalStateException("subscription " + templateId + " of " + tenant + "/" + customerId
                + " changed under " + ATTEMPTS + " attempts");
    }

    private PutItemRequest putRequest(
            String tenant, String customerId, SubscriptionState s, long readAt) {
        Put p = put(tenant, customerId, s, readAt);
        return PutItemRequest.builder().tableName(p.tableName())
                .item(p.item()).conditionExpression(p.conditionExpression())
                .expressionAttributeNames(p.expressionAttributeNames())
                .expressionAttributeValues(p.expressionAttributeValues())
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }

    private Put put(String tenant, String customerId, SubscriptionState s, long readAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, customerId, s.templateId()));
        item.put(TEMPLATE, AttributeValue.fromS(s.templateId()));
        item.put(N, Attrs.number(s.remaining()));
        item.put(ACCEPTS, Attrs.number(s.accepts()));
        Attrs.putString(item, RESULT, s.lastResult());
        Attrs.putInstant(item, AT, s.at());
        Map<String, AttributeValue> held = new LinkedHashMap<>();
        s.held().forEach((touch, h) -> held.put(touch, AttributeValue.fromM(Map.of(ACCEPTS, Attrs.number(h.accepts()),
                AT, AttributeValue.fromS(h.at().toString())))));
        item.put(HELD, AttributeValue.fromM(held));
        Map<String, AttributeValue> requests = new LinkedHashMap<>();
        s.answers().forEach((id, when) -> requests.put(id, AttributeValue.fromS(when.toString())));
        item.put(REQUESTS, AttributeValue.fromM(requests));
        item.put(VERSION, Attrs.number(readAt + 1));
        return readAt == 0
                ? Put.builder().tableName(table).item(item).conditionExpression("attribute_not_exists(#v)")
                .expressionAttributeNames(Map.of("#v", VERSION)).build()
                : Put.builder().tableName(table).item(item).conditionExpression("#v = :v")
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":v", Attrs.number(readAt))).build();
    }

    @Override
    public Subscription answered(String tenant, String customerId, String templateId, Answer answer,
                                 String requestId, Instant at) {
        return change(tenant, customerId, templateId, true, s -> s.answered(answer, requestId, at)).subscription();
    }

    @Override
    public boolean answeredBefore(String tenant, String customerId, String templateId, String requestId) {
        return read(tenant, customerId, templateId).map(s -> s.answeredBefore(requestId)).orElse(false);
    }

    @Override
    public boolean take(String tenant, String customerId, String templateId, String touchId, Instant at) {
        return change(tenant, customerId, templateId, false, s -> s.take(touchId, at)).holds(touchId);
    }

    @Override
    public boolean took(String tenant, String customerId, String templateId, String touchId) {
        return read(tenant, customerId, templateId).map(s -> s.holds(touchId)).orElse(false);
    }

    @Override
    public void giveBack(String tenant, String customerId, String templateId, String touchId, Instant at) {
        change(tenant, customerId, templateId, false, s -> s.givenBack(touchId));
    }

    @Override
    public void refused(String tenant, String customerId, String templateId, String touchId, Instant at) {
        change(tenant, customerId, templateId, true, s -> s.refused(touchId, at));
    }

    @Override
    public void move(String tenant, String absorbed, String survivor, Instant at) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            boolean all = true;
            for (SubscriptionState s : states(tenant, absorbed)) {
                if (!s.subscription().live()) {
                    continue;
                }
                SubscriptionState to = read(tenant, survivor, s.templateId()).orElse(
                        new SubscriptionState(s.templateId(), 0, 0, s.lastResult(), s.at(), Map.of(), Map.of(), 0));
                SubscriptionState moved = to.withRemaining(Math.min(SubscriptionState.MAX_REMAINING,
                        to.remaining() + s.remaining()));
                all &= transactions.write(List.of(
                        TransactWriteItem.builder().put(put(tenant, absorbed, s.withRemaining(0), s.version())).build(),
                        TransactWriteItem.builder().put(put(tenant, survivor, moved, to.version())).build()));
            }
            if (all) {
                return;
            }
        }
        throw new IllegalStateException("subscriptions of " + tenant + "/" + absorbed + " changed under "
                + ATTEMPTS + " attempts to move them");
    }

    private static SubscriptionState state(Map<String, AttributeValue> item) {
        Map<String, SubscriptionState.Held> held = new LinkedHashMap<>();
        AttributeValue h = item.get(HELD);
        if (h != null && h.hasM()) {
            h.m().forEach((touch, x) -> held.put(touch, new SubscriptionState.Held(Attrs.number(x.m(), ACCEPTS),
                    Attrs.instant(x.m(), AT))));
        }
        Map<String, Instant> answers = new LinkedHashMap<>();
        AttributeValue r = item.get(REQUESTS);
        if (r != null && r.hasM()) {
            r.m().forEach((id, when) -> answers.put(id, Instant.parse(when.s())));
        }
        return new SubscriptionState(Attrs.string(item, TEMPLATE), (int) Attrs.number(item, N),
                Attrs.number(item, ACCEPTS), Attrs.string(item, RESULT), Attrs.instant(item, AT), held, answers,
                Attrs.number(item, VERSION));
    }

    private static Map<String, AttributeValue> key(String tenant, String customerId, String templateId) {
        return SiyuTable.key(SiyuTable.customerPk(tenant, customerId), SK_PREFIX + templateId);
    }
}
