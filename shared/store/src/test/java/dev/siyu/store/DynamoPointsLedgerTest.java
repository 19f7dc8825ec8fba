package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.Membership;
import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.member.PointsAccount;
import dev.siyu.core.member.PointsRules;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The points ledger on DynamoDB Local: one balance, many spenders, every request once, never below zero. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoPointsLedgerTest {
    private static final Instant T0 = Instant.parse("2026-06-01T02:00:00Z");
    private static final String TENANT = "acme";
    private static final Membership MEMBERSHIP = new Membership(1, "CNY", null,
            List.of(new Membership.Tier("silver", 0, List.of()), new Membership.Tier("gold", 2000, List.of())), Map.of());

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private final PointsRules rules = new PointsRules(MEMBERSHIP);
    private DynamoCustomerStore customers;
    private DynamoPointsLedger ledger;
    private PointsAccount points;

    @BeforeAll
    void start() {
        customers = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, meter);
        ledger = new DynamoPointsLedger(aws.dynamo(), LocalAws.TABLE, meter, customers);
        points = new PointsAccount(ledger, rules);
    }

    private String memberWith(String id, long earned) {
        CustomerProfile fresh = new CustomerProfile(TENANT, id, null, null, "pos", "pos", null, null, Set.of(), Map.of(),
                Map.of("pos", id), T0, T0);
        PointsLedger.Result r = ledger.post(TENANT, id, "order-seed", fresh, latest -> rules.apply(latest, "order-seed",
                LedgerEntry.Kind.EARN, earned, earned, T0, null, "seed", "ev-seed")
                .map(c -> new PointsLedger.Applied(c.profile(), c.entry(), c.events())));
        assertThat(r.outcome()).isEqualTo(PointsLedger.Outcome.POSTED);
        return id;
    }

    @Test
    void hundredParallelRedemptionsOfOneBalanceNeverOverspend() throws Exception {
        String id = memberWith("m-race", 1000);
        // A client without the production call timeouts (2 s an attempt): DynamoDB Local on a laptop serialises
        // transactions, so the last of 100 simultaneous ones waits longer than DynamoDB would ever make it.
        PointsAccount points;
        try (var patient = aws.client()) {
            points = new PointsAccount(new DynamoPointsLedger(patient, LocalAws.TABLE, meter,
                    new DynamoCustomerStore(patient, LocalAws.TABLE, meter)), rules);
            race(id, points);
        }
    }

    private void race(String id, PointsAccount points) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PointsLedger.Result>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String request = "redeem-" + i;
            results.add(pool.submit(() -> {
                go.await();
                return points.redeem(TENANT, id, request, 15, "tote_bag", T0.plusSeconds(60));
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        int posted = 0;
        int refused = 0;
        int conflicts = 0;
        for (Future<PointsLedger.Result> f : results) {
            PointsLedger.Result r = f.get();
            posted += r.outcome() == PointsLedger.Outcome.POSTED ? 1 : 0;
            refused += r.outcome() == PointsLedger.Outcome.REFUSED ? 1 : 0;
            conflicts += r.conflicts();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        pool.shutdown();
        System.out.println("100 concurrent redemptions on DynamoDB Local: " + millis + " ms, " + conflicts
                + " retries on conflict, " + posted + " posted, " + refused + " refused");

        List<LedgerEntry> entries = ledger.entries(TENANT, id);
        assertThat(posted).isEqualTo(66);
        assertThat(refused).isEqualTo(34);
        assertThat(customers.profile(TENANT, id).orElseThrow().activity().points().balance()).isEqualTo(10);
        assertThat(entries.stream().mapToLong(LedgerEntry::points).sum()).isEqualTo(10);
        assertThat(entries).hasSize(67).allSatisfy(e -> assertThat(e.balanceAfter()).isNotNegative());
        assertThat(entries.stream().map(LedgerEntry::balanceAfter).distinct().count()).as("each balance once")
                .isEqualTo(67);
    }

    @Test
    void aRequestPostedAgainIsPostedOnceAndAnswersWithTheFirstEntry() {
        String id = memberWith("m-again", 100);
        PointsLedger.Result first = points.redeem(TENANT, id, "redeem-x", 40, "mask", T0);
        PointsLedger.Result again = points.redeem(TENANT, id, "redeem-x", 40, "mask", T0.plusSeconds(5));

        assertThat(first.outcome()).isEqualTo(PointsLedger.Outcome.POSTED);
        assertThat(again.outcome()).isEqualTo(PointsLedger.Outcome.DUPLICATE);
        assertThat(again.entry()).isEqualTo(first.entry());
        assertThat(customers.profile(TENANT, id).orElseThrow().activity().points().balance()).isEqualTo(60);
    }

    @Test
    void aCrashBetweenTheTransactionAndItsEventsLosesNoEvent() {
        String id = memberWith("m-crash", 100);
        java.util.concurrent.atomic.AtomicBoolean crash = new java.util.concurrent.atomic.AtomicBoolean(true);
        // The process dies in the events' batch write, after the transaction committed.
        dev.siyu.core.port.CustomerStore dying = (dev.siyu.core.port.CustomerStore) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {dev.siyu.core.port.CustomerStore.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("append") && crash.getAndSet(false)) {
                                throw new Error("process crash after the transaction");
                            }
                            try {
                                return method.invoke(customers, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        PointsAccount crashing = new PointsAccount(new DynamoPointsLedger(aws.dynamo(), LocalAws.TABLE, meter, dying),
                rules);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> crashing.redeem(TENANT, id, "redeem-crash", 30,
                "mask", T0)).isInstanceOf(Error.class);
        assertThat(customers.timeline(TENANT, id)).noneMatch(e -> e.kind().equals("points_redeemed"));

        PointsLedger.Result retry = crashing.redeem(TENANT, id, "redeem-crash", 30, "mask", T0.plusSeconds(5));

        assertThat(retry.outcome()).isEqualTo(PointsLedger.Outcome.DUPLICATE);
        assertThat(customers.timeline(TENANT, id)).filteredOn(e -> e.kind().equals("points_redeemed"))
                .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("points", "30")
                        .containsEntry("balance", "70"));
        assertThat(customers.profile(TENANT, id).orElseThrow().activity().points().balance()).isEqualTo(70);
    }

    @Test
    void anEntryAndItsBalanceAreOneTransactionOfTwoItems() {
        String id = memberWith("m-units", 10);
        meter.reset();

        points.redeem(TENANT, id, "redeem-units", 5, "sticker", T0);

        // 2 items of under 1 KB in a transaction, then the redemption's timeline event (1 unit). DynamoDB charges
        // a transaction 2 units per item (5 in all); DynamoDB Local reports 1 per item.
        assertThat(meter.writes()).isEqualTo(3.0);
    }

    @Test
    void anOrdersEntryCarryingItsEventsStaysUnderOneKilobyte() {
        String id = memberWith("m-order-units", 10);
        Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("order_id", "POS-20260601-000123456");
        d.put("source", "pos");
        d.put("amount", "1299.00");
        d.put("currency", "CNY");
        d.put("category", "skincare");
        d.put("categories", "skincare,makeup,fragrance");
        d.put("points", "1299");
        d.put("store_id", "store-shanghai-jingan-001");
        dev.siyu.core.profile.TimelineEvent purchase = new dev.siyu.core.profile.TimelineEvent(
                "ord-pos-POS-20260601-000123456", T0, "purchase", null, d);
        meter.reset();

        ledger.post(TENANT, id, "order-pos-POS-20260601-000123456", latest -> rules.apply(latest,
                        "order-pos-POS-20260601-000123456", LedgerEntry.Kind.EARN, 1299, 1299, T0, null,
                        "POS-20260601-000123456", purchase.eventId())
                .map(c -> {
                    List<dev.siyu.core.profile.TimelineEvent> events = new ArrayList<>(List.of(purchase));
                    events.addAll(c.events());
                    return new PointsLedger.Applied(c.profile(), c.entry(), events);
                }));

        // entry (with its event) and profile 1 unit each as Local reports: both under 1 KB, so 4 WCU on DynamoDB;
        // then the purchase event 1: a known member's order stays at 5 WCU, within the 6 of docs/ingest.md.
        assertThat(meter.writes()).isEqualTo(3.0);
    }

    @Test
    void theTierFollowsPointsEarnedAndStaysWhenPointsAreSpent() {
        String id = memberWith("m-tier", 2500);
        points.redeem(TENANT, id, "redeem-big", 2400, "weekend_trip", T0);

        CustomerProfile p = customers.profile(TENANT, id).orElseThrow();
        assertThat(p.activity().points().tier()).isEqualTo("gold");
        assertThat(p.activity().points().balance()).isEqualTo(100);
        assertThat(p.activity().points().earned()).isEqualTo(2500);
    }
}
