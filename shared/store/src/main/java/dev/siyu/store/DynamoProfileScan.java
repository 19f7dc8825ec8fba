package dev.siyu.store;

import dev.siyu.core.engine.DaemonPools;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link ProfileScan} over the sparse profiles index ({@link SiyuTable#PROFILES_INDEX}): each of a tenant's
 * {@link SiyuTable#PROFILE_SHARDS} index partitions is read page by page (Query, keys only), and each page's
 * profiles are fetched with one BatchGetItem. Nothing else of the table is read: no timelines, dedup claims,
 * runs or touch records, which a Scan used to read (and charge) in full.
 *
 * <p>A named pass keeps one checkpoint item per shard ({@code T#<t>#PASS#<pass>} / {@code SHARD#<nn>}: the
 * index's last evaluated key, or done, and the round), written after the page's profiles were handed over; a
 * later call with the same name reads the checkpoints (one Query) and continues each unfinished shard of the
 * round from there; once every shard of the round is done, the next call starts another round. A
 * call stops handing out profiles when its budget runs out, before the scheduler's 300 s: what was handed
 * out on an unfinished page is handed out again next time (the daily jobs are idempotent per customer).
 *
 * <p>Shards are read side by side ({@link #DEFAULT_READERS} threads for the duration of the call), but the
 * action runs on the calling thread only, one profile at a time, so it needs no locking of its own. A
 * bounded hand-over queue keeps the readers at most a few pages ahead of a slow action.
 */
public final class DynamoProfileScan implements ProfileScan {
    static final int DEFAULT_READERS = 8;
    /** 60 s short of the scheduler's 300 s: the job still writes its summary and decision counts. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(240);
    /** A pass's checkpoints outlive its day by two, for a retry or a redrive the next morning. */
    private static final Duration CHECKPOINT_KEPT = Duration.ofDays(3);
    /** Keys per index page; 100 is also BatchGetItem's limit, so one page is one batch. */
    private static final int PAGE = 100;
    private static final String DONE = "done";
    private static final String LAST = "last";
    private static final String ROUND = "round";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final int readers;
    private final int pageLimit;
    private final Duration budget;
    private final Clock clock;

    public DynamoProfileScan(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this(dynamo, table, meter, DEFAULT_READERS, PAGE, DEFAULT_BUDGET, Clock.systemUTC());
    }

    /**
     * @param pageLimit keys per page (tests make it small so a few profiles span many pages)
     * @param budget    how long one pass call may hand out profiles (wall time, whatever the clock)
     * @param clock     for the checkpoints' expiry only
     */
    DynamoProfileScan(DynamoDbClient dynamo, String table, CapacityMeter meter, int readers, int pageLimit, Duration budget,
                      Clock clock) {
        if (readers < 1 || pageLimit < 1 || pageLimit > PAGE) {
            throw new IllegalArgumentException("readers must be positive and pageLimit 1.." + PAGE);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.readers = readers;
        this.pageLimit = pageLimit;
        this.budget = budget;
        this.clock = clock;
    }

    /** Every profile, no checkpoint, no budget. A failure of any shard, or of the action, is thrown here. */
    @Override
    public void forEach(String tenant, Consumer<CustomerProfile> action) {
        run(tenant, null, action, Long.MAX_VALUE);
    }

    @Override
    public Pass pass(String tenant, String pass, Consumer<CustomerProfile> action) {
        return run(tenant, pass, action, System.nanoTime() + budget.toNanos());
    }

    private Pass run(String tenant, String pass, Consumer<CustomerProfile> action, long deadline) {
        Map<Integer, Map<String, AttributeValue>> from = new HashMap<>();
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        Map<Integer, Checkpoint> saved = pass == null ? Map.of() : checkpoints(tenant, pass);
        // The round in progress is the latest one; when every shard of it is done, this call starts the next.
        long round = saved.values().stream().mapToLong(Checkpoint::round).max().orElse(0);
        long latest = round;
        if (saved.size() == SiyuTable.PROFILE_SHARDS && saved.values().stream().allMatch(c -> c.round() == latest && c.done())) {
            round++;
        }
        for (int shard = 0; shard < SiyuTable.PROFILE_SHARDS; shard++) {
            Checkpoint c = saved.get(shard);
            boolean current = c != null && c.round() == round;
            if (!current || !c.done()) {
                todo.add(shard);
                from.put(shard, current ? c.last() : null);
            }
        }
        long thisRound = round;
        int shards = todo.size();
        int handed = 0;
        BlockingQueue<Page> pages = new ArrayBlockingQueue<>(2 * readers);
        // Daemon threads: a reader blocked on a full queue must never keep the JVM (or a Lambda invocation) alive.
        ExecutorService pool = DaemonPools.fixed("profile-scan", Math.min(readers, shards));
        try {
            for (int r = 0; r < Math.min(readers, shards); r++) {
                pool.execute(() -> {
                    Integer shard;
                    while ((shard = todo.poll()) != null && !Thread.currentThread().isInterrupted()) {
                        read(tenant, shard, from.get(shard), pages);
                    }
                });
            }
            int finished = 0;
            while (finished < shards) {
                Page page = pages.poll(200, TimeUnit.MILLISECONDS);
                if (System.nanoTime() >= deadline) {
                    return new Pass(pass, false, handed);
                }
                if (page == null) {
                    continue;
                }
                if (page.failure() != null) {
                    throw page.failure();
                }
                for (Map<String, AttributeValue> item : page.items()) {
                    if (System.nanoTime() >= deadline) {
                        // this page's checkpoint is not written: it is handed out again, whole, next time
                        return new Pass(pass, false, handed);
                    }
                    String customerId = item.get(SiyuTable.SCAN_SK).s();
                    CustomerProfile profile = ProfileItems.profile(tenant, customerId, item);
                    // Merged into another customer: not a customer of its own, the survivor is handed out instead.
                    if (profile.mergedInto().isEmpty()) {
                        action.accept(profile);
                        handed++;
                    }
                }
                if (pass != null) {
                    saveCheckpoint(tenant, pass, thisRound, page.shard(), page.next());
                }
                if (page.next() == null) {
                    finished++;
                }
            }
            return new Pass(pass, true, handed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the profiles of " + tenant, e);
        } finally {
            // Stops readers still reading or waiting to hand over a page when the caller stopped or gave up.
            pool.shutdownNow();
        }
    }

    private void read(String tenant, int shard, Map<String, AttributeValue> start, BlockingQueue<Page> pages) {
        try {
            Map<String, AttributeValue> next = start;
            String shardPk = SiyuTable.profileShardPk(tenant, shard);
            do {
                Map<String, AttributeValue> after = next;
                QueryResponse r = dynamo.query(b -> b.tableName(table).indexName(SiyuTable.PROFILES_INDEX)
                        .keyConditionExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#s", SiyuTable.SCAN_PK))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(shardPk)))
                        .limit(pageLimit)
                        .exclusiveStartKey(after)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                meter.read(r.consumedCapacity());
                next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                pages.put(new Page(shard, profiles(r.items()), next, null));
            } while (next != null);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed(pages, shard, e);
        } catch (Error e) {
            // Still handed over: a reader dying silently would leave the caller waiting forever.
            failed(pages, shard, new IllegalStateException("profiles index shard " + shard + " failed", e));
        }
    }

    /** The profile items of one index page, eventually consistent like the index itself. */
    private List<Map<String, AttributeValue>> profiles(List<Map<String, AttributeValue>> indexKeys) {
        List<Map<String, AttributeValue>> out = new ArrayList<>(indexKeys.size());
        if (indexKeys.isEmpty()) {
            return out;
        }
        List<Map<String, AttributeValue>> keys = indexKeys.stream()
                .map(k -> SiyuTable.key(k.get(SiyuTable.PK).s(), k.get(SiyuTable.SK).s())).toList();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> ask = request;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(ask)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            r.consumedCapacity().forEach(meter::read);
            out.addAll(r.responses().getOrDefault(table, List.of()));
            request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        return out;
    }

    private record Checkpoint(long round, boolean done, Map<String, AttributeValue> last) {
    }

    /** The pass's checkpoints, one consistent Query: the previous invocation's last write must be seen. */
    private Map<Integer, Checkpoint> checkpoints(String tenant, String pass) {
        Map<Integer, Checkpoint> out = new HashMap<>();
        QueryPages.all(dynamo, table, meter, b -> b.consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SiyuTable.passPk(tenant, pass)))))
                .forEach(item -> {
                    int shard = Integer.parseInt(item.get(SiyuTable.SK).s().substring("SHARD#".length()));
                    AttributeValue done = item.get(DONE);
                    AttributeValue last = item.get(LAST);
                    out.put(shard, new Checkpoint(item.containsKey(ROUND) ? Attrs.number(item, ROUND) : 0,
                            done != null && Boolean.TRUE.equals(done.bool()), last == null ? null : last.m()));
                });
        return out;
    }

    /** @param next the index key to go on after; null: the shard is done */
    private void saveCheckpoint(String tenant, String pass, long round, int shard, Map<String, AttributeValue> next) {
        Map<String, AttributeValue> item = new HashMap<>(SiyuTable.passKey(tenant, pass, shard));
        item.put(ROUND, Attrs.number(round));
        item.put(DONE, AttributeValue.fromBool(next == null));
        if (next != null) {
            item.put(LAST, AttributeValue.fromM(next));
        }
        item.put(SiyuTable.EXPIRES_AT, Attrs.number(clock.instant().plus(CHECKPOINT_KEPT).getEpochSecond()));
        meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
    }

    /**
     * Handed over like a page, waiting for room: dropping it would leave the caller waiting for this
     * shard forever. If the caller is gone, shutdownNow interrupts the wait.
     */
    private static void failed(BlockingQueue<Page> pages, int shard, RuntimeException e) {
        try {
            pages.put(new Page(shard, List.of(), null, e));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** @param next where the shard goes on; null when this was its last page */
    private record Page(int shard, List<Map<String, AttributeValue>> items, Map<String, AttributeValue> next,
                        RuntimeException failure) {
    }
}
