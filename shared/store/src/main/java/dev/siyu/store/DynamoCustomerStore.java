package dev.siyu.store;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.StepCommit;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.ProfileConflictException;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link CustomerStore} on the single table (key shapes in {@link SiyuTable}).
 *
 * <p>Versions: every profile write is a conditional put over the version its copy was read at, and
 * {@link #update} re-reads and re-applies the change when it lost (docs/data-model.md). The profile is
 * read strongly consistent so that a conflict is the exception, not the rule. The external_userid
 * alias is read strongly consistent too (it moves in a merge, see {@link #customerIdFor}); other
 * aliases and the timeline read eventually consistent (half the read units): they never move once
 * written and a miss is settled by {@link #claimIdentity}'s conditional put, and the timeline is only
 * displayed and analysed, where an event arriving a second later is harmless.
 *
 * <p>The customer's partition {@code T#<t>#C#<id>} holds the state under {@code S#} (the profile
 * {@code S#PROFILE}, journey runs {@code S#J#<journey>#<run>}, touch records {@code S#T#<touch>}) and the
 * timeline under {@code EV#<millis>#<event>}; {@link #snapshot} reads the state alone in one Query, and
 * {@link #commitStep} writes a journey step's outcome in one transaction.
 */
public final class DynamoCustomerStore implements CustomerStore, CustomerSnapshots {
    /** DynamoDB's own page limit is 1 MB; this bounds memory per page for very long timelines. */
    static final int DEFAULT_TIMELINE_PAGE = 500;
    private static final String CUSTOMER_ID = "customer_id";
    /** A claim's item is a few dozen bytes: a rejected conditional put is charged one unit. */
    private static final double SMALL_ITEM_WRITE_UNITS = 1.0;
    private static final int CLAIM_IDENTITY_ATTEMPTS = 3;
    private static final String CLAIM_STATUS = "status";
    private static final String PROCESSING = "processing";
    private static final String DONE = "done";
    private static final String CLAIM_TOKEN = "claim_token";
    private static final System.Logger LOG = System.getLogger(DynamoCustomerStore.class.getName());

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final BatchWriter batch;
    private final DynamoJourneyRunStore runs;
    private final Transactions transactions;

    public DynamoCustomerStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.batch = new BatchWriter(dynamo, table, meter);
        this.runs = new DynamoJourneyRunStore(dynamo, table, meter);
        this.transactions = new Transactions(dynamo, meter);
    }

    /**
     * One conditional put of {@code status=processing} with the attempt's token until leaseUntil. An expired
     * claim counts as free even before DynamoDB's TTL sweep removes it (that can take days), so a WeCom retry
     * after the lease is processed like a first delivery: its attempt died or outlived its deadline, and the
     * callback's writes are made so that a second run of it changes nothing twice. The losing attempt learns
     * from the rejection itself (ALL_OLD; a strongly consistent read when it carries no item) whose claim it
     * met: its own token means the SDK retried a put that had taken effect, so the claim is this attempt's.
     */
    @Override
    public Claim claimLease(String tenant, DedupKey key, String token, Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> item = new HashMap<>(SiyuTable.dedupKey(tenant, key.value()));
        item.put(CLAIM_STATUS, AttributeValue.fromS(PROCESSING));
        item.put(CLAIM_TOKEN, AttributeValue.fromS(token));
        item.put(SiyuTable.EXPIRES_AT, Attrs.number(leaseUntil.getEpochSecond()));
        try {
            PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#exp", SiyuTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", Attrs.number(now.getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return Claim.WON;
        } catch (ConditionalCheckFailedException taken) {
            meter.rejectedWrite(SMALL_ITEM_WRITE_UNITS);
            Map<String, AttributeValue> held = taken.hasItem() ? taken.item() : readClaim(tenant, key);
            if (held == null) {
                // Given back between our put and our read: the claim is free again; the caller's retry takes it.
                return Claim.PROCESSING;
            }
            if (token.equals(Attrs.string(held, CLAIM_TOKEN))) {
                return Claim.WON;
            }
            // A claim written before leases existed has no status: it was only ever written once processed.
            return PROCESSING.equals(Attrs.string(held, CLAIM_STATUS)) ? Claim.PROCESSING : Claim.DONE;
        }
    }

    private Map<String, AttributeValue> readClaim(String tenant, DedupKey key) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.dedupKey(tenant, key.value()))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    /** Conditional on the token, so an attempt whose lease was taken over never marks another's work done. */
    @Override
    public void complete(String tenant, DedupKey key, String token, Instant now, Duration keepFor) {
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.dedupKey(tenant, key.value()))
                    .updateExpression("SET #status = :done, #exp = :exp")
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#status", CLAIM_STATUS, "#exp", SiyuTable.EXPIRES_AT,
                            "#token", CLAIM_TOKEN))
                    .expressionAttributeValues(Map.of(":done", AttributeValue.fromS(DONE),
                            ":exp", Attrs.number(now.plus(keepFor).getEpochSecond()),
                            ":token", AttributeValue.fromS(token)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException notOurs) {
            meter.rejectedWrite(SMALL_ITEM_WRITE_UNITS);
            LOG.log(Level.WARNING, JsonLog.line("claim not completed: held by another attempt", "tenant", tenant,
                    "key", key.value()));
        }
    }

    /** Conditional on the token: a late attempt never deletes the claim of the attempt that took it over. */
    @Override
    public void release(String tenant, DedupKey key, String token) {
        try {
            DeleteItemResponse r = dynamo.deleteItem(b -> b.tableName(table).key(SiyuTable.dedupKey(tenant, key.value()))
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#token", CLAIM_TOKEN))
                    .expressionAttributeValues(Map.of(":token", AttributeValue.fromS(token)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException notOurs) {
            meter.rejectedWrite(SMALL_ITEM_WRITE_UNITS);
            LOG.log(Level.WARNING, JsonLog.line("claim not released: held by another attempt or gone", "tenant",
                    tenant, "key", key.value()));
        }
    }

    @Override
    public String claimIdentity(String tenant, IdentityType type, String value, String customerId) {
        Map<String, AttributeValue> key = SiyuTable.aliasKey(tenant, type, value);
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(CUSTOMER_ID, AttributeValue.fromS(customerId));
        for (int attempt = 0; attempt < CLAIM_IDENTITY_ATTEMPTS; attempt++) {
            try {
                PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                        // The losing writer learns the owner from the rejection itself: no second round trip.
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                meter.write(r.consumedCapacity());
                return customerId;
            } catch (ConditionalCheckFailedException taken) {
                meter.rejectedWrite(SMALL_ITEM_WRITE_UNITS);
                String owner = taken.hasItem() ? Attrs.string(taken.item(), CUSTOMER_ID) : null;
                if (owner == null) {
                    owner = readAlias(key, true).orElse(null);
                }
                if (owner != null) {
                    return owner;
                }
                // The alias was deleted (a merge) between our put and our read: claim again.
            }
        }
        throw new IllegalStateException("identity " + type.key() + " kept changing owner while being claimed");
    }

    @Override
    public void pointIdentity(String tenant, IdentityType type, String value, String customerId) {
        Map<String, AttributeValue> item = new HashMap<>(SiyuTable.aliasKey(tenant, type, value));
        item.put(CUSTOMER_ID, AttributeValue.fromS(customerId));
        PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    /**
     * Aliases are read strongly consistent: a merge moves them onto the survivor (the external_userid onto
     * the Mini Program customer, an order's phone onto the customer it joined), and a callback or order
     * arriving within replication lag of that merge must find the survivor, not create a second customer.
     */
    @Override
    public Optional<String> customerIdFor(String tenant, IdentityType type, String value) {
        return readAlias(SiyuTable.aliasKey(tenant, type, value), true);
    }

    private Optional<String> readAlias(Map<String, AttributeValue> key, boolean consistent) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(consistent)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() ? Optional.ofNullable(Attrs.string(r.item(), CUSTOMER_ID)) : Optional.empty();
    }

    @Override
    public Optional<CustomerProfile> profile(String tenant, String customerId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.profileKey(tenant, customerId))
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty()
                ? Optional.of(ProfileItems.profile(tenant, customerId, r.item()))
                : Optional.empty();
    }

    /**
     * One conditional PutItem of the profile over the version it was read at (version 0: none stored yet),
     * then one BatchWriteItem of its events (more only beyond 25). Profile first: a crash in between leaves
     * the change without its events, which the caller's retry appends (the change, re-applied, finds itself
     * done); events first would put them on the timeline of a change that then lost its write.
     */
    @Override
    public void save(CustomerProfile profile, List<TimelineEvent> events) {
        putProfile(profile);
        append(profile.tenant(), profile.customerId(), events);
    }

    private void putProfile(CustomerProfile profile) {
        Map<String, AttributeValue> item = ProfileItems.profileItem(profile);
        try {
            PutItemResponse r = dynamo.putItem(b -> {
                b.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (profile.version() == 0) {
                    // A profile stored before versions existed has none: it counts as version 0.
                    b.conditionExpression("attribute_not_exists(#v)")
                            .expressionAttributeNames(Map.of("#v", ProfileItems.VERSION));
                } else {
                    b.conditionExpression("#v = :v")
                            .expressionAttributeNames(Map.of("#v", ProfileItems.VERSION))
                            .expressionAttributeValues(Map.of(":v", Attrs.number(profile.version())));
                }
            });
            meter.write(r.consumedCapacity());
        } catch (ConditionalCheckFailedException newer) {
            meter.rejectedWrite(1.0);
            throw new ProfileConflictException(profile.tenant(), profile.customerId(), profile.version());
        }
    }

    @Override
    public void append(String tenant, String customerId, List<TimelineEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>(events.size());
        events.forEach(e -> items.add(ProfileItems.eventItem(tenant, customerId, e)));
        batch.putAll(items);
    }

    /**
     * One strongly consistent Query on {@code begins_with(sk, "S#")}: profile, runs and touch records, not
     * the timeline. Charged on the summed size of what it returns (a profile of a KB or two, runs of a few
     * hundred bytes, a month of touch records): one or two read units where three GetItem/Query calls
     * cost three.
     */
    @Override
    public Snapshot snapshot(String tenant, String customerId) {
        CustomerProfile profile = null;
        List<JourneyRun> runs = new ArrayList<>();
        List<TouchRecord> touches = new ArrayList<>();
        for (Map<String, AttributeValue> item : QueryPages.all(dynamo, table, meter, b -> b
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :s)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                        ":s", AttributeValue.fromS(SiyuTable.STATE_SK_PREFIX)))
                .consistentRead(true))) {
            String sk = item.get(SiyuTable.SK).s();
            if (sk.equals(SiyuTable.PROFILE_SK)) {
                profile = ProfileItems.profile(tenant, customerId, item);
            } else if (sk.startsWith(SiyuTable.JOURNEY_RUN_SK_PREFIX)) {
                runs.add(DynamoJourneyRunStore.run(tenant, customerId, item));
            } else if (sk.startsWith(SiyuTable.TOUCH_SK_PREFIX)) {
                touches.add(DynamoOutreachCounters.touch(customerId, item));
            }
        }
        return new Snapshot(Optional.ofNullable(profile), Snapshot.sorted(runs), touches);
    }

    /**
     * One strongly consistent Query on the sort-key range from {@code EV#} to the end of {@code S#}: the timeline
     * and the state together (a points ledger entry, {@code PL#}, sorts between them and is skipped), where
     * {@link #snapshot} and {@link #timeline} would be two round trips. The timeline is charged at the strongly
     * consistent rate, twice its usual read: worth it for one customer scored on demand, not for scans.
     */
    @Override
    public StateAndTimeline snapshotWithTimeline(String tenant, String customerId, CustomerStore customers) {
        CustomerProfile profile = null;
        List<JourneyRun> runs = new ArrayList<>();
        List<TouchRecord> touches = new ArrayList<>();
        List<TimelineEvent> timeline = new ArrayList<>();
        for (Map<String, AttributeValue> item : QueryPages.all(dynamo, table, meter, b -> b
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                        ":from", AttributeValue.fromS(SiyuTable.EVENT_SK_PREFIX),
                        ":to", AttributeValue.fromS(SiyuTable.STATE_SK_PREFIX + "~")))
                .scanIndexForward(true)
                .consistentRead(true))) {
            String sk = item.get(SiyuTable.SK).s();
            if (sk.startsWith(SiyuTable.EVENT_SK_PREFIX)) {
                timeline.add(ProfileItems.event(item));
            } else if (sk.equals(SiyuTable.PROFILE_SK)) {
                profile = ProfileItems.profile(tenant, customerId, item);
            } else if (sk.startsWith(SiyuTable.JOURNEY_RUN_SK_PREFIX)) {
                runs.add(DynamoJourneyRunStore.run(tenant, customerId, item));
            } else if (sk.startsWith(SiyuTable.TOUCH_SK_PREFIX)) {
                touches.add(DynamoOutreachCounters.touch(customerId, item));
            }
        }
        return new StateAndTimeline(new Snapshot(Optional.ofNullable(profile), Snapshot.sorted(runs), touches), timeline);
    }

    /**
     * One TransactWriteItems: the run item's conditional move (see {@link DynamoJourneyRunStore#update}) with
     * the step's events and touch records, 2 write units per item of up to 1 KB. A refused condition writes
     * nothing and answers false. A transaction carries at most 100 items; a step writes a handful.
     */
    @Override
    public boolean commitStep(StepCommit commit, ZoneId tenantZone) {
        String tenant = commit.run().tenant();
        List<TransactWriteItem> items = new ArrayList<>(commit.events().size() + commit.touches().size() + 1);
        items.add(TransactWriteItem.builder().update(runs.update(commit.run())).build());
        commit.events().forEach(e -> items.add(put(ProfileItems.eventItem(tenant, commit.run().customerId(), e))));
        commit.touches().forEach(t -> items.add(put(DynamoOutreachCounters.item(tenant, t, tenantZone))));
        return transactions.write(items);
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
    }

    /** All customers' items in as few BatchWriteItems as fit (25 items each): every item a put, so a retry rewrites the same. */
    @Override
    public void commitAll(String tenant, List<Writes> writes, ZoneId tenantZone) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Writes w : writes) {
            w.events().forEach(e -> items.add(ProfileItems.eventItem(tenant, w.customerId(), e)));
            w.touches().forEach(t -> items.add(DynamoOutreachCounters.item(tenant, t, tenantZone)));
        }
        if (!items.isEmpty()) {
            batch.putAll(items);
        }
    }

    @Override
    public List<TimelineEvent> timeline(String tenant, String customerId) {
        return timeline(tenant, customerId, DEFAULT_TIMELINE_PAGE);
    }

    /** One Query on the sort-key range from since: the events before it are never read (nor charged). */
    @Override
    public List<TimelineEvent> timeline(String tenant, String customerId, Instant since) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                                // "EV#<millis>#" sorts before every event id of that millisecond, '~' after any id.
                                ":from", AttributeValue.fromS(SiyuTable.eventSk(since, "")),
                                ":to", AttributeValue.fromS(SiyuTable.EVENT_SK_PREFIX + "~")))
                        .scanIndexForward(true)
                        .limit(DEFAULT_TIMELINE_PAGE))
                .stream().map(ProfileItems::event).toList();
    }

    /** The timeline read pageSize items per Query round trip. */
    public List<TimelineEvent> timeline(String tenant, String customerId, int pageSize) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :ev)")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.customerPk(tenant, customerId)),
                                ":ev", AttributeValue.fromS(SiyuTable.EVENT_SK_PREFIX)))
                        .scanIndexForward(true)
                        .limit(pageSize))
                .stream().map(ProfileItems::event).toList();
    }
}
