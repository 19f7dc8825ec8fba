package dev.siyu.core.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.ingest.Order;
import dev.siyu.core.ingest.OrderIngest;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Orders, points and one customer across channels on the in-memory ports, with the example blueprint (1 point
 * per CNY, silver / gold at 2000 / platinum at 8000, points expire after 365 days, a store phone blocklisted).
 */
class MembershipTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    private static final String STORE_PHONE = "+862161234567";

    private final VirtualClock clock = new VirtualClock(T0.plus(Duration.ofHours(1)));
    private final MemoryQueue triggers = new MemoryQueue();
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), triggers, new MemoryTimerStore());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
    private final MemberServices members = new MemberServices(
            new Engine(ports, EXAMPLE, 1, null, clock, Engine.Settings.inline()), ledger,
            new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8)));

    private Order order(String id, String customer, String amount, Instant at) {
        return order(id, customer, amount, at, "");
    }

    private Order order(String id, String customer, String amount, Instant at, String refunds) {
        String body = "{\"order_id\":\"" + id + "\",\"customer\":{" + customer + "},\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"at\":\"" + at + "\",\"lines\":[{\"sku\":\"SK-1\",\"category\":\"skincare\","
                + "\"quantity\":1,\"amount\":\"" + amount + "\"}]" + refunds + "}";
        return new IngestJson(new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8)), "CNY")
                .order("pos", body.getBytes(StandardCharsets.UTF_8), clock.instant());
    }

    private CustomerProfile profile(String customerId) {
        return ports.customers().profile(TENANT, customerId).orElseThrow();
    }

    private List<TimelineEvent> timeline(String customerId, String kind) {
        return ports.customers().timeline(TENANT, customerId).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    @Test
    void anOrderReplayedFiveTimesEarnsItsPointsOnce() {
        Order o = order("A-1001", "\"pos_member_id\":\"P-1\"", "388.00", T0);
        List<OrderIngest.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(members.orders().ingest(o));
        }

        String id = outcomes.get(0).customerId();
        assertThat(outcomes).extracting(OrderIngest.Outcome::status)
                .containsExactly("recorded", "duplicate", "duplicate", "duplicate", "duplicate");
        assertThat(outcomes).extracting(OrderIngest.Outcome::customerId).containsOnly(id);
        assertThat(profile(id).activity().points().balance()).isEqualTo(388);
        assertThat(profile(id).activity().orderCount()).isEqualTo(1);
        assertThat(profile(id).activity().totalSpend()).isEqualTo(388.0);
        assertThat(ledger.entries(TENANT, id)).singleElement()
                .satisfies(e -> assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(365))));
        assertThat(timeline(id, "purchase")).hasSize(1);
        assertThat(timeline(id, "first_purchase")).hasSize(1);
        assertThat(triggers.sent()).extracting(s -> s.trigger().kind()).containsOnly("purchase");
    }

    @Test
    void anOrderFromSomeoneUnknownCreatesTheCustomerWithTheFactsJourneysRead() {
        OrderIngest.Outcome o = members.orders().ingest(order("A-1", "\"phone\":\"138 0013 8000\"", "120.50", T0));

        CustomerProfile p = profile(o.customerId());
        assertThat(p.activity().orderCount()).isEqualTo(1);
        assertThat(p.activity().firstPurchaseAt()).isEqualTo(T0);
        assertThat(p.activity().purchaseCategories()).containsKey("skincare");
        assertThat(p.activity().points().tier()).isEqualTo("silver");
        assertThat(p.identities().get("phone")).as("a phone is stored as its keyed hash only")
                .startsWith("h").doesNotContain("13800138000");
        assertThat(triggers.sent()).singleElement().satisfies(s -> {
            assertThat(s.trigger().kind()).isEqualTo("purchase");
            assertThat(s.trigger().details()).containsEntry("category", "skincare").containsEntry("amount", "120.50");
        });
    }

    @Test
    void anOlderOrderArrivingLateDoesNotMoveTheLatestPurchaseBack() {
        String id = members.orders().ingest(order("B-2", "\"pos_member_id\":\"P-2\"", "50.00", T0)).customerId();
        members.orders().ingest(order("B-1", "\"pos_member_id\":\"P-2\"", "20.00", T0.minus(Duration.ofDays(3))));

        assertThat(profile(id).activity().lastPurchaseAt()).isEqualTo(T0);
        assertThat(profile(id).activity().firstPurchaseAt()).isEqualTo(T0.minus(Duration.ofDays(3)));
        assertThat(ports.customers().timeline(TENANT, id)).extracting(TimelineEvent::kind)
                .containsSubsequence("purchase", "purchase");
        assertThat(ports.customers().timeline(TENANT, id).stream().filter(e -> e.kind().equals("purchase"))
                .map(e -> e.details().get("order_id")).toList()).containsExactly("B-1", "B-2");
    }

    @Test
    void aRefundTakesBackItsPointsAndNeverBelowZero() {
        String id = members.orders().ingest(order("C-1", "\"pos_member_id\":\"P-3\"", "300.00", T0)).customerId();
        assertThat(members.points().redeem(TENANT, id, "redeem-1", 250, "tote_bag", clock.instant()).outcome())
                .isEqualTo(PointsLedger.Outcome.POSTED);

        OrderIngest.Outcome refunded = members.orders().ingest(order("C-1", "\"pos_member_id\":\"P-3\"", "300.00", T0,
                ",\"refunds\":[{\"refund_id\":\"R1\",\"amount\":\"100.00\",\"at\":\"" + T0.plusSeconds(60) + "\"}]"));
        members.orders().ingest(order("C-1", "\"pos_member_id\":\"P-3\"", "300.00", T0,
                ",\"refunds\":[{\"refund_id\":\"R1\",\"amount\":\"100.00\",\"at\":\"" + T0.plusSeconds(60) + "\"}]"));

        assertThat(refunded.refunds()).isEqualTo(1);
        assertThat(profile(id).activity().points().balance()).isZero();
        assertThat(profile(id).activity().points().earned()).isEqualTo(200);
        assertThat(timeline(id, "refund")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("points_reversed", "50").containsEntry("points_short", "50"));
    }

    @Test
    void reachingATierThresholdChangesTheTierOnTheTimeline() {
        String id = members.orders().ingest(order("D-1", "\"pos_member_id\":\"P-4\"", "1500.00", T0)).customerId();
        members.orders().ingest(order("D-2", "\"pos_member_id\":\"P-4\"", "600.00", T0.plusSeconds(10)));

        assertThat(profile(id).activity().points().tier()).isEqualTo("gold");
        assertThat(dev.siyu.core.condition.Facts.customer(profile(id), clock.instant()))
                .as("what journey conditions read").containsEntry("tier", "gold").containsEntry("points", 2100L);
        assertThat(timeline(id, "tier_changed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("from", "silver").containsEntry("to", "gold"));
        members.points().redeem(TENANT, id, "r-1", 2000, "voucher", clock.instant());
        assertThat(profile(id).activity().points().tier()).as("spending never lowers a tier").isEqualTo("gold");
    }

    @Test
    void aRedemptionBeyondTheBalanceIsRefusedAndTheSameRequestSpendsOnce() {
        String id = members.orders().ingest(order("E-1", "\"pos_member_id\":\"P-5\"", "100.00", T0)).customerId();

        assertThat(members.points().redeem(TENANT, id, "r-big", 101, "x", clock.instant()).outcome())
                .isEqualTo(PointsLedger.Outcome.REFUSED);
        assertThat(members.points().redeem(TENANT, id, "r-1", 60, "x", clock.instant()).outcome())
                .isEqualTo(PointsLedger.Outcome.POSTED);
        assertThat(members.points().redeem(TENANT, id, "r-1", 60, "x", clock.instant()).outcome())
                .isEqualTo(PointsLedger.Outcome.DUPLICATE);
        assertThat(profile(id).activity().points().balance()).isEqualTo(40);
    }

    @Test
    void hundredParallelRedemptionsNeverOverspend() throws Exception {
        String id = members.orders().ingest(order("F-1", "\"pos_member_id\":\"P-6\"", "1000.00", T0)).customerId();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<PointsLedger.Result>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String request = "r-" + i;
            results.add(pool.submit(() -> members.points().redeem(TENANT, id, request, 15, "x", clock.instant())));
        }
        long posted = 0;
        for (Future<PointsLedger.Result> f : results) {
            posted += f.get().outcome() == PointsLedger.Outcome.POSTED ? 1 : 0;
        }
        pool.shutdown();

        assertThat(posted).isEqualTo(66);
        assertThat(profile(id).activity().points().balance()).isEqualTo(10);
        assertThat(ledger.entries(TENANT, id).stream().mapToLong(LedgerEntry::points).sum()).isEqualTo(10);
    }

    @Test
    void pointsExpireAYearAfterTheOrderOnce() {
        String id = members.orders().ingest(order("G-1", "\"pos_member_id\":\"P-7\"", "100.00", T0)).customerId();
        members.points().redeem(TENANT, id, "r-1", 30, "x", clock.instant());
        clock.set(T0.plus(Duration.ofDays(366)));
        members.orders().ingest(order("G-2", "\"pos_member_id\":\"P-7\"", "50.00", clock.instant().minusSeconds(60)));

        members.points().expire(TENANT, id, clock.instant());
        members.points().expire(TENANT, id, clock.instant());

        assertThat(profile(id).activity().points().balance()).as("70 left of G-1 expired, G-2's 50 stay").isEqualTo(50);
        assertThat(ledger.entries(TENANT, id)).filteredOn(e -> e.kind() == LedgerEntry.Kind.EXPIRE).singleElement()
                .satisfies(e -> assertThat(e.points()).isEqualTo(-70));
    }

    @Test
    void aPhoneThatJoinsTwoCustomersMergesThemIntoTheOlderOne() {
        String a = members.orders().ingest(order("H-1", "\"pos_member_id\":\"P-8\"", "100.00", T0)).customerId();
        clock.advance(Duration.ofMinutes(1));
        String b = members.orders().ingest(order("H-2", "\"openid\":\"o-8\",\"phone\":\"+8613900139000\"", "200.00",
                T0.plusSeconds(30))).customerId();
        assertThat(b).isNotEqualTo(a);
        ports.customers().update(TENANT, b, p -> p.withTags(java.util.Set.of("skincare"), java.util.Set.of(),
                clock.instant()), List.of());
        clock.advance(Duration.ofMinutes(1));

        OrderIngest.Outcome joined = members.orders().ingest(order("H-3",
                "\"pos_member_id\":\"P-8\",\"phone\":\"+86 139 0013 9000\"", "10.00", T0.plusSeconds(60)));

        assertThat(joined.customerId()).isEqualTo(a);
        assertThat(profile(b).mergedInto()).contains(a);
        CustomerProfile survivor = profile(a);
        assertThat(survivor.identities()).containsKeys("pos", "openid", "phone");
        assertThat(survivor.tags()).contains("skincare");
        assertThat(survivor.activity().points().balance()).isEqualTo(310);
        assertThat(survivor.activity().orderCount()).isEqualTo(3);
        assertThat(profile(b).activity().points().balance()).isZero();
        assertThat(ports.customers().timeline(TENANT, a)).filteredOn(e -> e.kind().equals("purchase"))
                .extracting(e -> e.details().get("order_id")).containsExactly("H-1", "H-2", "H-3");
        assertThat(ports.customers().customerIdFor(TENANT, IdentityType.OPENID, "o-8")).contains(a);
        assertThat(((MemoryTenantLog) ports.tenantLog()).of(CustomerMerge.AUDIT_SUBJECT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("from", b).containsEntry("into", a)
                        .containsEntry("by", "phone"));
        // A later order by the absorbed customer's openid lands on the survivor.
        assertThat(members.orders().ingest(order("H-4", "\"openid\":\"o-8\"", "1.00", T0.plusSeconds(90)))
                .customerId()).isEqualTo(a);
    }

    @Test
    void aBlocklistedPhoneNeverLinksTwoPeople() {
        String a = members.orders().ingest(order("I-1", "\"pos_member_id\":\"P-9\",\"phone\":\"" + STORE_PHONE + "\"",
                "10.00", T0)).customerId();
        String b = members.orders().ingest(order("I-2", "\"pos_member_id\":\"P-10\",\"phone\":\"" + STORE_PHONE + "\"",
                "10.00", T0)).customerId();

        assertThat(a).isNotEqualTo(b);
        assertThat(profile(a).identities()).doesNotContainKey("phone");
        assertThat(profile(b).mergedInto()).isEmpty();
        OrderIngest.Outcome only = members.orders().ingest(order("I-3", "\"phone\":\"" + STORE_PHONE + "\"", "10.00", T0));
        assertThat(only.status()).isEqualTo("unlinked");
        assertThat(only.refused()).containsExactly("phone blocklisted");
    }

    @Test
    void twoCustomersWithDifferentUnionIdsAreNeverMergedByAPhone() {
        String a = members.orders().ingest(order("J-1", "\"unionid\":\"u-1\",\"phone\":\"+8613700137000\"", "10.00", T0))
                .customerId();
        String b = members.orders().ingest(order("J-2", "\"unionid\":\"u-2\"", "10.00", T0)).customerId();

        OrderIngest.Outcome o = members.orders().ingest(order("J-3", "\"unionid\":\"u-2\",\"phone\":\"+8613700137000\"",
                "10.00", T0));

        assertThat(o.customerId()).isEqualTo(b);
        assertThat(o.refused()).contains("phone conflicts");
        assertThat(profile(a).mergedInto()).isEmpty();
        assertThat(profile(b).mergedInto()).isEmpty();
        assertThat(((MemoryTenantLog) ports.tenantLog()).of(IdentityResolver.CONFLICTS_SUBJECT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("clashing", "unionid"));
    }
}
