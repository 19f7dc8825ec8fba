package dev.siyu.store;

import dev.siyu.core.gate.Decision;
import dev.siyu.core.port.DecisionCounts;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link DecisionCounts} as {@link #SHARDS} items per tenant and day, {@code T#<t>#GATE} /
 * {@code <yyyyMMdd>#<nn>}, with one number attribute per {@link DecisionCounts#key decision key} (e.g.
 * {@code ALLOW}, {@code DROP:MASS_MESSAGE_CAP}); each write picks a shard at random, a report sums them.
 *
 * <p>Counting is one UpdateItem with ADD (atomic, so concurrent senders never lose a count; 1 write
 * unit while the day's item stays under 1 KB, which a few dozen keys do). A report over any range
 * is one Query on the day keys, eventually consistent: a count a second late does not change a
 * daily report, and it halves the read units.
 *
 * <p>Why shards: DynamoDB serves one item at most about 1,000 writes a second, and every decision of a
 * tenant's day used to land on one item. At the design load of one tenant (1,000 callbacks/s and 2,000
 * steps/s, each at most one count before batching) 16 shards keep each item near 190 writes/s, under the
 * 500/s every item is held to (docs/measurements.md, Hot items). The range Query reads the shards with
 * the days, so a report is still one request; days written before sharding ({@code <yyyyMMdd>}) are
 * inside the same range and still counted.
 */
public final class DynamoDecisionCounts implements DecisionCounts {
    public static final int SHARDS = 16;
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
                .key(SiyuTable.key(SiyuTable.gatePk(tenant), shardSk(day)))
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
                .key(SiyuTable.key(SiyuTable.gatePk(tenant), shardSk(day)))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    /** Random, not per customer: a single customer's burst must spread too. */
    private static String shardSk(LocalDate day) {
        return SiyuTable.day(day) + String.format("#%02d", ThreadLocalRandom.current().nextInt(SHARDS));
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
                                // '~' sorts after '#': the last shard of the last day is inside
                                ":to", AttributeValue.fromS(SiyuTable.day(to) + "#~"))))
                .forEach(day -> day.forEach((name, value) -> {
                    if (value.n() != null && !name.equals(SiyuTable.PK) && !name.equals(SiyuTable.SK)) {
                        sums.merge(name, Long.parseLong(value.n()), Long::sum);
                    }
                }));
        return sums;
    }
}
