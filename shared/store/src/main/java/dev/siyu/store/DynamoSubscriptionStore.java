package dev.siyu.store;

import dev.siyu.core.miniapp.Subscription;
import dev.siyu.core.miniapp.SubscriptionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link SubscriptionStore} as one item per member and template in the customer's partition,
 * {@code T#<t>#C#<id>} / {@code MP#SUB#<templateId>}: {@code n} the messages left, {@code result} and {@code at}
 * the latest answer, {@code taken} the touch ids that used one. Every change is one UpdateItem (a merge: one
 * transaction per template), so no count is read and written back. The sort keys sit outside the state
 * ({@code S#}) and timeline ({@code EV#}) ranges: a step's state Query never reads them.
 */
public final class DynamoSubscriptionStore implements SubscriptionStore {
    static final String SK_PREFIX = "MP#SUB#";
    private static final String N = "n";
    private static final String RESULT = "result";
    private static final String AT = "at";
    private static final String TAKEN = "taken";
    private static final String TEMPLATE = "template_id";
    /** A member moves their subscriptions between customers at most a few times; each try re-reads. */
    private static final int MOVE_ATTEMPTS = 5;

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
        List<Subscription> out = new ArrayList<>();
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
            r.items().forEach(i -> out.add(subscription(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** One GetItem: the journey worker reads the one template a step names. */
    @Override
    public java.util.Optional<Subscription> subscription(String tenant, String customerId, String templateId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? java.util.Optional.of(subscription(r.item()))
                : java.util.Optional.empty();
    }

    @Override
    public Subscription answered(String tenant, String customerId, String templateId, Answer answer, Instant at) {
        String update = switch (answer) {
            case ACCEPT -> "ADD #n :one SET #r = :r, #at = :at, #tpl = :tpl";
            case REJECT, FILTER -> "ADD #n :zero SET #r = :r, #at = :at, #tpl = :tpl";
            case BAN -> "SET #n = :zero, #r = :r, #at = :at, #tpl = :tpl";
        };
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":r", AttributeValue.fromS(answer.key()),
                ":at", AttributeValue.fromS(at.toString()), ":tpl", AttributeValue.fromS(templateId)));
        values.put(answer == Answer.ACCEPT ? ":one" : ":zero", Attrs.number(answer == Answer.ACCEPT ? 1 : 0));
        var r = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                .updateExpression(update).expressionAttributeNames(Map.of("#n", N, "#r", RESULT, "#at", AT,
                        "#tpl", TEMPLATE))
                .expressionAttributeValues(values).returnValues("ALL_NEW")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
        return subscription(r.attributes());
    }

    @Override
    public boolean take(String tenant, String customerId, String templateId, String touchId, Instant at) {
        try {
            var r = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                    .updateExpression("SET #n = #n - :one ADD #taken :touch")
                    .conditionExpression("#n > :zero AND (attribute_not_exists(#taken) OR NOT contains(#taken, :id))")
                    .expressionAttributeNames(Map.of("#n", N, "#taken", TAKEN))
                    .expressionAttributeValues(Map.of(":one", Attrs.number(1), ":zero", Attrs.number(0),
                            ":touch", AttributeValue.fromSs(List.of(touchId)), ":id", AttributeValue.fromS(touchId)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException none) {
            meter.rejectedWrite(1.0);
            // None left, or this touch took one before (its earlier attempt died after the write): it holds that one.
            return took(tenant, customerId, templateId, touchId);
        }
    }

    @Override
    public boolean took(String tenant, String customerId, String templateId, String touchId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        AttributeValue taken = r.hasItem() ? r.item().get(TAKEN) : null;
        return taken != null && taken.hasSs() && taken.ss().contains(touchId);
    }

    @Override
    public void giveBack(String tenant, String customerId, String templateId, String touchId, Instant at) {
        try {
            var r = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                    .updateExpression("ADD #n :one DELETE #taken :touch")
                    .conditionExpression("contains(#taken, :id)")
                    .expressionAttributeNames(Map.of("#n", N, "#taken", TAKEN))
                    .expressionAttributeValues(Map.of(":one", Attrs.number(1),
                            ":touch", AttributeValue.fromSs(List.of(touchId)), ":id", AttributeValue.fromS(touchId)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException notHeld) {
            // Given back already (a retry), or never taken: nothing to give.
            meter.rejectedWrite(1.0);
        }
    }

    @Override
    public void refused(String tenant, String customerId, String templateId, Instant at) {
        var r = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, customerId, templateId))
                .updateExpression("SET #n = :zero, #r = :r, #at = :at, #tpl = :tpl")
                .expressionAttributeNames(Map.of("#n", N, "#r", RESULT, "#at", AT, "#tpl", TEMPLATE))
                .expressionAttributeValues(Map.of(":zero", Attrs.number(0), ":r", AttributeValue.fromS("refused"),
                        ":at", AttributeValue.fromS(at.toString()), ":tpl", AttributeValue.fromS(templateId)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    @Override
    public void move(String tenant, String absorbed, String survivor, Instant at) {
        for (int attempt = 0; attempt < MOVE_ATTEMPTS; attempt++) {
            List<Subscription> left = subscriptions(tenant, absorbed).stream().filter(Subscription::live).toList();
            boolean all = true;
            for (Subscription s : left) {
                all &= transactions.write(List.of(
                        TransactWriteItem.builder().update(u -> u.tableName(table)
                                .key(key(tenant, absorbed, s.templateId()))
                                .updateExpression("SET #n = :zero").conditionExpression("#n = :had")
                                .expressionAttributeNames(Map.of("#n", N))
                                .expressionAttributeValues(Map.of(":zero", Attrs.number(0),
                                        ":had", Attrs.number(s.remaining())))).build(),
                        TransactWriteItem.builder().update(u -> u.tableName(table)
                                .key(key(tenant, survivor, s.templateId()))
                                .updateExpression("ADD #n :had SET #tpl = :tpl, #r = if_not_exists(#r, :r), "
                                        + "#at = if_not_exists(#at, :at)")
                                .expressionAttributeNames(Map.of("#n", N, "#tpl", TEMPLATE, "#r", RESULT, "#at", AT))
                                .expressionAttributeValues(Map.of(":had", Attrs.number(s.remaining()),
                                        ":tpl", AttributeValue.fromS(s.templateId()),
                                        ":r", AttributeValue.fromS(s.lastResult()),
                                        ":at", AttributeValue.fromS(s.at().toString())))).build()));
            }
            if (all) {
                return;
            }
        }
        throw new IllegalStateException("subscriptions of " + tenant + "/" + absorbed + " changed under "
                + MOVE_ATTEMPTS + " attempts to move them");
    }

    private static Subscription subscription(Map<String, AttributeValue> item) {
        return new Subscription(Attrs.string(item, TEMPLATE), (int) Attrs.number(item, N), Attrs.string(item, RESULT),
                Attrs.instant(item, AT));
    }

    private static Map<String, AttributeValue> key(String tenant, String customerId, String templateId) {
        return SiyuTable.key(SiyuTable.customerPk(tenant, customerId), SK_PREFIX + templateId);
    }
}
