package dev.siyu.store;

import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileConflictException;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The points ledger in the customer's partition: entry {@code PL#<requestId>} and the profile (whose activity
 * holds balance, earned points and tier) written in one TransactWriteItems, the entry on
 * {@code attribute_not_exists(pk)} (a request posts once) and the profile on its version (a balance read before
 * another posting is never written over it: the loser reads again and decides again, so two redemptions racing
 * for the last points cannot both have them). 4 write units for items under 1 KB; the events follow in one batch.
 * The entry carries its events too: a request posted again after a crash between the transaction and the
 * batch appends them again from the entry (same event ids), so no event of a posted entry is lost.
 */
public final class DynamoPointsLedger implements PointsLedger {
    static final String ENTRY_SK_PREFIX = "PL#";
    private static final String KIND = "kind";
    private static final String POINTS = "points";
    private static final String EARNED = "earned";
    private static final String AT = "at";
    private static final String POINTS_EXPIRE_AT = "points_expire_at";
    private static final String REF = "ref";
    private static final String BALANCE_AFTER = "balance_after";
    private static final String EVENTS = "events";
    /** 100 redemptions of one balance at once: each round one wins, so the last may need about 100 tries. */
    private static final int MAX_ATTEMPTS = 400;
    private static final long MAX_BACKOFF_MILLIS = 40;

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final CustomerStore customers;

    public DynamoPointsLedger(DynamoDbClient dynamo, String table, CapacityMeter meter, CustomerStore customers) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.customers = customers;
    }

    @Override
    public Result post(String tenant, String customerId, String requestId, CustomerProfile fresh,
                       CustomerProfile knownCopy, Posting posting) {
        int conflicts = 0;
        Optional<CustomerProfile> known = knownCopy == null ? null : Optional.of(knownCopy);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<CustomerProfile> stored = known != null ? known : customers.profile(tenant, customerId);
            known = null;
            CustomerProfile latest = stored.orElse(fresh == null ? null : fresh.atVersion(0));
            if (latest == null) {
                return new Result(Outcome.REFUSED, null, null, conflicts);
            }
            Optional<Applied> applied = posting.apply(latest);
            if (applied.isEmpty()) {
                // Refused on this copy; an entry posted before (a replay) still answers as the duplicate it is.
                Optional<Map<String, AttributeValue>> posted = entryItem(tenant, customerId, requestId);
                return posted.isPresent() ? duplicate(tenant, customerId, latest, posted.get(), conflicts)
                        : new Result(Outcome.REFUSED, latest, null, conflicts);
            }
            CustomerProfile next = applied.get().next().atVersion(latest.version());
            Map<String, AttributeValue> entryItem = entryItem(tenant, customerId, applied.get().entry(),
                    applied.get().events());
            Map<String, AttributeValue> profileItem = ProfileItems.profileItem(next);
            List<TransactWriteItem> items = List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(entryItem)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))).build(),
                    TransactWriteItem.builder().put(p -> {
                        // A loser learns the newer profile from the refusal itself: no second read before deciding again.
                        p.tableName(table).item(profileItem)
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                        if (latest.version() == 0) {
                            p.conditionExpression("attribute_not_exists(#v)")
                                    .expressionAttributeNames(Map.of("#v", ProfileItems.VERSION));
                        } else {
                            p.conditionExpression("#v = :v")
                                    .expressionAttributeNames(Map.of("#v", ProfileItems.VERSION))
                                    .expressionAttributeValues(Map.of(":v", Attrs.number(latest.version())));
                        }
                    }).build());
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().forEach(meter::write);
            } catch (TransactionCanceledException canceled) {
                meter.rejectedWrite(4.0);
                List<CancellationReason> reasons = canceled.hasCancellationReasons() ? canceled.cancellationReasons()
                        : List.of();
                if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                    Optional<Map<String, AttributeValue>> posted = entryItem(tenant, customerId, requestId);
                    return posted.isPresent() ? duplicate(tenant, customerId, stored.orElse(null), posted.get(), conflicts)
                            : new Result(Outcome.DUPLICATE, stored.orElse(null), null, conflicts);
                }
                conflicts++;
                if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())
                        && reasons.get(1).hasItem() && !reasons.get(1).item().isEmpty()) {
                    known = Optional.of(ProfileItems.profile(tenant, customerId, reasons.get(1).item()));
                } else {
                    // A transaction in flight on the same item (TransactionConflict): let it finish first.
                    backoff(attempt);
                }
                continue;
            }
            customers.append(tenant, customerId, applied.get().events());
            return new Result(Outcome.POSTED, next.atVersion(latest.version() + 1), applied.get().entry(), conflicts);
        }
        throw new ProfileConflictException("profile " + tenant + "/" + customerId + " changed under " + MAX_ATTEMPTS
                + " attempts to post " + requestId);
    }

    @Override
    public Optional<LedgerEntry> entry(String tenant, String customerId, String requestId) {
        return entryItem(tenant, customerId, requestId).map(DynamoPointsLedger::entry);
    }

    private Optional<Map<String, AttributeValue>> entryItem(String tenant, String customerId, String requestId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, customerId, requestId))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
    }

    /** A request posted before: its events appended again (a no-op unless a crash lost them after the transaction). */
    private Result duplicate(String tenant, String customerId, CustomerProfile profile,
                             Map<String, AttributeValue> item, int conflicts) {
        List<TimelineEvent> events = new ArrayList<>();
        AttributeValue stored = item.get(EVENTS);
        if (stored != null && stored.hasL()) {
            stored.l().forEach(e -> events.add(ProfileItems.event(e.m())));
        }
        if (!events.isEmpty()) {
            customers.append(tenant, customerId, events);
        }
        return new Result(Outcome.DUPLICATE, profile, entry(item), conflicts);
    }

    /** One consistent Query on {@code begins_with(sk, "PL#")}, sorted by time (the keys sort by request id). */
    @Override
    public List<LedgerEntry> entries(String tenant, String customerId) {
        List<LedgerEntry> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : QueryPages.all(dynamo, table, meter, b -> b
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :s)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                        ":s", AttributeValue.fromS(ENTRY_SK_PREFIX)))
                .consistentRead(true))) {
            out.add(entry(item));
        }
        out.sort(Comparator.comparing(LedgerEntry::at).thenComparing(LedgerEntry::requestId));
        return out;
    }

    /**
     * One eventually consistent Query of the profiles index on the day's partition (keys only, about 0.5 read
     * units per 4 KB: some 40 earns), customer ids taken from the sort keys ({@code <customer>#<requestId>}).
     */
    @Override
    public List<String> expiringOn(String tenant, java.time.LocalDate day) {
        java.util.Set<String> due = new java.util.TreeSet<>();
        for (Map<String, AttributeValue> item : QueryPages.all(dynamo, table, meter, b -> b
                .indexName(SiyuTable.PROFILES_INDEX)
                .keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", SiyuTable.SCAN_PK))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(SiyuTable.pointsExpiryPk(tenant, day)))))) {
            String sk = item.get(SiyuTable.SCAN_SK).s();
            int hash = sk.indexOf('#');
            due.add(hash < 0 ? sk : sk.substring(0, hash));
        }
        return List.copyOf(due);
    }

    private static Map<String, AttributeValue> key(String tenant, String customerId, String requestId) {
        return Map.of(SiyuTable.PK, AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                SiyuTable.SK, AttributeValue.fromS(ENTRY_SK_PREFIX + requestId));
    }

    private static Map<String, AttributeValue> entryItem(String tenant, String customerId, LedgerEntry e,
                                                         List<TimelineEvent> events) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, customerId, e.requestId()));
        item.put(KIND, AttributeValue.fromS(e.kind().name()));
        item.put(POINTS, Attrs.number(e.points()));
        item.put(EARNED, Attrs.number(e.earned()));
        Attrs.putInstant(item, AT, e.at());
        Attrs.putInstant(item, POINTS_EXPIRE_AT, e.expiresAt());
        Attrs.putString(item, REF, e.reference());
        item.put(BALANCE_AFTER, Attrs.number(e.balanceAfter()));
        if (dev.siyu.core.member.PointsRules.expiringLot(e)) {
            // Listed in the sparse keys-only index under the day its points expire: the expiry job queries that
            // day instead of reading every ledger. Written with the entry, so no crash leaves an earn unlisted.
            item.put(SiyuTable.SCAN_PK, AttributeValue.fromS(SiyuTable.pointsExpiryPk(tenant,
                    e.expiresAt().atZone(java.time.ZoneOffset.UTC).toLocalDate())));
            item.put(SiyuTable.SCAN_SK, AttributeValue.fromS(customerId + "#" + e.requestId()));
        }
        if (!events.isEmpty()) {
            List<AttributeValue> l = new ArrayList<>();
            for (TimelineEvent ev : events) {
                Map<String, AttributeValue> m = new HashMap<>(ProfileItems.eventItem(tenant, customerId, ev));
                m.remove(SiyuTable.PK);
                m.remove(SiyuTable.SK);
                m.remove(SiyuTable.EXPIRES_AT);
                l.add(AttributeValue.fromM(m));
            }
            item.put(EVENTS, AttributeValue.fromL(l));
        }
        return item;
    }

    private static LedgerEntry entry(Map<String, AttributeValue> item) {
        String sk = item.get(SiyuTable.SK).s();
        Instant at = Attrs.instant(item, AT);
        return new LedgerEntry(sk.substring(ENTRY_SK_PREFIX.length()), LedgerEntry.Kind.valueOf(Attrs.string(item, KIND)),
                Attrs.number(item, POINTS), Attrs.number(item, EARNED), at, Attrs.instant(item, POINTS_EXPIRE_AT),
                Attrs.string(item, REF), Attrs.number(item, BALANCE_AFTER));
    }

    private static void backoff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, 2L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(0, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting a ledger entry", e);
        }
    }
}
