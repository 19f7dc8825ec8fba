package dev.siyu.store;

import dev.siyu.core.gate.Decision;
import dev.siyu.core.port.DecisionCounts;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link DecisionCounts} as one item per tenant and day, {@code T#<t>#GATE} / {@code <yyyyMMdd>},
 * with one number attribute per {@link DecisionCounts#key decision key} (e.g. {@code ALLOW},
 * {@code DROP:MASS_MESSAGE_CAP}).
 *
 * <p>Counting is one UpdateItem with ADD (atomic, so concurrent senders never lose a count; 1 write
 * unit while the day's item stays under 1 KB, which a few dozen keys do). A report over any range
 * is one Query on the day keys, eventually consistent: a count a second late does not change a
 * daily report, and it halves the read units.
 *
 * <p>Limit: every decision of a tenant's day lands on the same item, and DynamoDB serves one item
 * at most about 1,000 writes a second. A send to a whole tenant's customers faster than that is
 * throttled here (the SDK retries with backoff). If that becomes real, split the day into sort
 * keys {@code <yyyyMMdd>#<n>} chosen at random: the range Query below still reads them all.
 */
public final class DynamoDecisionCounts implements DecisionCounts {
    private static final AttributeValue ONE = Attrs.number(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoDecisionCounts(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public void count(String tenant, LocalDate day, Decision decision) {
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
                .key(SiyuTable.key(SiyuTable.gatePk(tenant), SiyuTable.day(day)))
                .updateExpression("ADD #k :one")
                // A placeholder because keys hold ':' and rule names may be reserved words.
                .expressionAttributeNames(Map.of("#k", DecisionCounts.key(decision)))
                .expressionAttributeValues(Map.of(":one", ONE))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    /** One UpdateItem for all of them: ADD of one attribute per key. */
    @Override
    public void add(String tenant, LocalDate day, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        Map<String, String> names = new java.util.HashMap<>();
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        java.util.List<String> adds = new java.util.ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            names.put("#k" + i, e.getKey());
            values.put(":v" + i, Attrs.number(e.getValue()));
            adds.add("#k" + i + " :v" + i);
            i++;
        }
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
                .key(SiyuTable.key(SiyuTable.gatePk(tenant), SiyuTable.day(day)))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    /** Keys in name order, so a report lists them the same way every time. */
    @Override
    public Map<String, Long> counts(String tenant, LocalDate from, LocalDate to) {
        Map<String, Long> sums = new TreeMap<>();
        if (to.isBefore(from)) {
            return sums;
        }
        QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.gatePk(tenant)),
                                ":from", AttributeValue.fromS(SiyuTable.day(from)),
                                ":to", AttributeValue.fromS(SiyuTable.day(to)))))
                .forEach(day -> day.forEach((name, value) -> {
                    if (value.n() != null && !name.equals(SiyuTable.PK) && !name.equals(SiyuTable.SK)) {
                        sums.merge(name, Long.parseLong(value.n()), Long::sum);
                    }
                }));
        return sums;
    }
}
