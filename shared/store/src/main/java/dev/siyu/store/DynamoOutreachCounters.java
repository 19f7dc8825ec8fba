package dev.siyu.store;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.Counters;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.port.OutreachCounters;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link OutreachCounters} as the table's {@code CAP#<kind>#<period>} items under the customer's
 * partition, each a number {@code count} bumped with ADD (atomic, so concurrent senders never lose
 * an increment) and a TTL {@code expires_at} shortly after its period ends.
 *
 * <p>Reading is one strongly consistent Query on {@code begins_with(sk, "CAP#")}, not a
 * BatchGetItem of the three current keys and the mix: a Query is charged on the summed size of what
 * it returns (a handful of items of a few dozen bytes, under 4 KB: 1 read unit), a BatchGetItem per
 * item rounded up (4 items: 4 units strongly consistent). The Query also returns last periods' items
 * until TTL removes them; they are ignored by key and stay few (one per day, week and month, for a
 * couple of days). Strongly consistent because the counts are all that stands between a customer
 * and a fifth mass message, and a journey worker reads right after recording the previous step.
 *
 * <p>The content mix is one item {@code CAP#MIX} with a list {@code mix} of "V"/"P", appended with
 * list_append (atomic and ordered, so concurrent sends are all kept) and read from its end. The gate
 * only needs counts over the latest N, but counts alone cannot say which touch falls out of the
 * window; a list can, and {@link Guardrails#MAX_CONTENT_MIX_WINDOW} entries of 3 bytes stay far
 * below 1 KB. DynamoDB cannot append and remove on one list in one update, so once the list holds
 * twice what is kept, a second, conditional update trims the head: one extra write per kept-many
 * touches, and the condition (the length it saw) keeps two concurrent trimmers from both cutting.
 * The mix item has no TTL: "the latest N touches" is not bounded in time.
 *
 * <p>Write units: every item touched is one UpdateItem of 1 unit. A sent mass message is 2 (month
 * counter, mix), a journey mass message 3, a private message 1 (mix only).
 */
public final class DynamoOutreachCounters implements OutreachCounters {
    /** Readers match on the period key, so this only has to outlast the period for late or lagging readers. */
    static final Duration EXPIRY_AFTER_PERIOD = Duration.ofDays(2);
    private static final String COUNT = "count";
    private static final String MIX = "mix";
    private static final AttributeValue ONE = Attrs.number(1);

    /** Counter kinds and the period each counts in; the names are part of the stored sort keys. */
    enum Kind {
        MASS(CapPeriod.MONTH),
        JOURNEY(CapPeriod.WEEK),
        MOMENTS(CapPeriod.DAY);

        final CapPeriod period;

        Kind(CapPeriod period) {
            this.period = period;
        }

        String sk(Instant at, ZoneId zone) {
            return SiyuTable.capSk(name(), period.key(at, zone));
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final int mixKept;

    public DynamoOutreachCounters(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this(dynamo, table, meter, Guardrails.MAX_CONTENT_MIX_WINDOW);
    }

    /** mixKept below the maximum only for tests, to reach a trim without hundreds of writes. */
    DynamoOutreachCounters(DynamoDbClient dynamo, String table, CapacityMeter meter, int mixKept) {
        if (mixKept < 1) {
            throw new IllegalArgumentException("mixKept must be positive: " + mixKept);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.mixKept = mixKept;
    }

    @Override
    public Reading read(String tenant, String customerId, Instant now, ZoneId tenantZone, int mixWindow) {
        if (mixWindow < 1 || mixWindow > mixKept) {
            throw new IllegalArgumentException("mixWindow " + mixWindow + " is outside 1.." + mixKept);
        }
        Map<String, AttributeValue> items = new HashMap<>();
        // More than one page only if expired items pile up past 1 MB, which TTL prevents; paged anyway.
        List<Map<String, AttributeValue>> found = QueryPages.all(dynamo, table, meter, b -> b
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :cap)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                        ":cap", AttributeValue.fromS(SiyuTable.CAP_SK_PREFIX)))
                .consistentRead(true));
        for (Map<String, AttributeValue> item : found) {
            AttributeValue value = item.get(SiyuTable.SK).s().equals(SiyuTable.CAP_MIX_SK) ? item.get(MIX) : item.get(COUNT);
            if (value != null) {
                items.put(item.get(SiyuTable.SK).s(), value);
            }
        }
        Counters counters = new Counters(
                count(items, Kind.MASS.sk(now, tenantZone)),
                count(items, Kind.JOURNEY.sk(now, tenantZone)),
                count(items, Kind.MOMENTS.sk(now, tenantZone)));
        return new Reading(counters, mix(items.get(SiyuTable.CAP_MIX_SK), mixWindow));
    }

    @Override
    public void record(String tenant, String customerId, Channel channel, ContentClass content, boolean journeyStep,
                       Instant now, ZoneId tenantZone) {
        if (!channel.reachesCustomer()) {
            return;
        }
        if (channel == Channel.MASS_MESSAGE) {
            bump(tenant, customerId, Kind.MASS, now, tenantZone);
        }
        if (channel == Channel.MOMENTS_POST) {
            bump(tenant, customerId, Kind.MOMENTS, now, tenantZone);
        }
        if (journeyStep) {
            bump(tenant, customerId, Kind.JOURNEY, now, tenantZone);
        }
        if (content != null && OutreachCounters.countsInCustomerMix(channel)) {
            appendToMix(tenant, customerId, content);
        }
    }

    private void bump(String tenant, String customerId, Kind kind, Instant now, ZoneId zone) {
        long expiresAt = kind.period.nextStart(now, zone).plus(EXPIRY_AFTER_PERIOD).getEpochSecond();
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table)
                .key(SiyuTable.key(SiyuTable.customerPk(tenant, customerId), kind.sk(now, zone)))
                .updateExpression("ADD #c :one SET #exp = :exp")
                .expressionAttributeNames(Map.of("#c", COUNT, "#exp", SiyuTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":one", ONE, ":exp", Attrs.number(expiresAt)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    private void appendToMix(String tenant, String customerId, ContentClass content) {
        Map<String, AttributeValue> key = SiyuTable.key(SiyuTable.customerPk(tenant, customerId), SiyuTable.CAP_MIX_SK);
        // UPDATED_NEW costs no extra units and tells whether the list is due for trimming.
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key)
                .updateExpression("SET #m = list_append(if_not_exists(#m, :empty), :c)")
                .expressionAttributeNames(Map.of("#m", MIX))
                .expressionAttributeValues(Map.of(
                        ":empty", AttributeValue.fromL(List.of()),
                        ":c", AttributeValue.fromL(List.of(AttributeValue.fromS(code(content))))))
                .returnValues(ReturnValue.UPDATED_NEW)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
        int size = r.attributes().get(MIX).l().size();
        if (size >= 2 * mixKept) {
            trimMix(key, size);
        }
    }

    private void trimMix(Map<String, AttributeValue> key, int size) {
        List<String> heads = new ArrayList<>();
        for (int i = 0; i < size - mixKept; i++) {
            heads.add("#m[" + i + "]");
        }
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("REMOVE " + String.join(", ", heads))
                    .conditionExpression("size(#m) = :seen")
                    .expressionAttributeNames(Map.of("#m", MIX))
                    .expressionAttributeValues(Map.of(":seen", Attrs.number(size)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException appendedMeanwhile) {
            // The list changed since we saw it; a later append trims it. Two trims by one stale length would cut kept entries.
            meter.rejectedWrite(1.0);
        }
    }

    private static int count(Map<String, AttributeValue> items, String sk) {
        AttributeValue v = items.get(sk);
        // Clamped: Counters rejects negatives, and no writer subtracts, but a hand-edited item must not break reads.
        return v == null || v.n() == null ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE, Long.parseLong(v.n())));
    }

    private static ContentMix mix(AttributeValue list, int window) {
        if (list == null || !list.hasL()) {
            return ContentMix.EMPTY;
        }
        List<AttributeValue> entries = list.l();
        int value = 0;
        int promotional = 0;
        for (int i = Math.max(0, entries.size() - window); i < entries.size(); i++) {
            if (code(ContentClass.PROMOTIONAL).equals(entries.get(i).s())) {
                promotional++;
            } else {
                value++;
            }
        }
        return new ContentMix(value, promotional);
    }

    private static String code(ContentClass content) {
        return content == ContentClass.PROMOTIONAL ? "P" : "V";
    }
}
