package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.Membership;
import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.member.PointsAccount;
import dev.siyu.core.member.PointsExpiry;
import dev.siyu.core.member.PointsRules;
import dev.siyu.core.miniapp.MemberDetails;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.memory.faults.InstanceCrash;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The points-expiry job on DynamoDB Local: it finds the members whose earns expired through the ledger's index
 * of expiry days, takes what is left of those points once, tells each member in the Mini Program, and finishes a
 * run that died half way without taking anything twice.
 */
class PointsExpiryJobTest {
    private static final Instant EARNED = Instant.parse("2026-06-01T02:00:00Z");
    /** The example blueprint's points_expire_after: a year. */
    private static final Duration YEAR = Duration.ofDays(365);
    private static final Instant DUE = EARNED.plus(YEAR);
    /** The first run after the UTC day of DUE ended. */
    private static final Instant RUN = Instant.parse("2027-06-02T00:30:00Z");
    private static final Membership MEMBERSHIP = new Membership(1, "CNY", YEAR,
            List.of(new Membership.Tier("silver", 0, List.of()), new Membership.Tier("gold", 2000, List.of())), Map.of());

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private final PointsRules rules = new PointsRules(MEMBERSHIP);
    private String tenant;
    private DynamoCustomerStore customers;
    private DynamoPointsLedger ledger;
    private DynamoMemberDetailsStore details;

    @BeforeEach
    void stores() {
        // A tenant per test: the expiry index and the day markers are the tenant's.
        tenant = "t" + System.nanoTime();
        customers = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, meter);
        ledger = new DynamoPointsLedger(aws.dynamo(), LocalAws.TABLE, meter, customers);
        details = new DynamoMemberDetailsStore(aws.dynamo(), LocalAws.TABLE, meter);
    }

    private void earn(String customerId, String order, long points, Instant at) {
        CustomerProfile fresh = new CustomerProfile(tenant, customerId, null, null, "pos", "pos", null, null, Set.of(),
                Map.of(), Map.of("pos", customerId), at, at);
        String request = "order-" + order;
        PointsLedger.Result r = ledger.post(tenant, customerId, request, fresh, latest -> rules.apply(latest, request,
                LedgerEntry.Kind.EARN, points, points, at, at.plus(YEAR), order, "ev-" + order)
                .map(c -> new PointsLedger.Applied(c.profile(), c.entry(), c.events())));
        assertThat(r.outcome()).isEqualTo(PointsLedger.Outcome.POSTED);
    }

    private long balance(String customerId) {
        return customers.profile(tenant, customerId).orElseThrow().activity().points().balance();
    }

    private List<LedgerEntry> expiries(String customerId) {
        return ledger.entries(tenant, customerId).stream().filter(e -> e.kind() == LedgerEntry.Kind.EXPIRE).toList();
    }

    private List<MemberDetails.Notification> notices(String customerId) {
        return details.details(tenant, customerId).map(MemberDetails::notifications).orElse(List.of()).stream()
                .filter(n -> PointsExpiry.NOTIFICATION_KIND.equals(n.kind())).toList();
    }

    private PointsExpiry job(PointsLedger ledger) {
        return new PointsExpiry(tenant, ledger, rules, customers, details);
    }

    /** Three members: two with points due (one spent some), one whose points are not due yet. */
    private void members() {
        earn("m-amy", "A1", 300, EARNED);
        earn("m-ben", "B1", 200, EARNED.plusSeconds(3600));
        new PointsAccount(ledger, rules).redeem(tenant, "m-ben", "redeem-ben-1", 50, "sample-kit", EARNED.plus(
                Duration.ofDays(30)));
        earn("m-cat", "C1", 100, EARNED.plus(Duration.ofDays(10)));
    }

    @Test
    void theIndexListsEachMemberUnderTheDayTheirPointsExpire() {
        members();
        earn("m-amy", "A2", 20, EARNED.plusSeconds(60));

        assertThat(ledger.expiringOn(tenant, LocalDate.parse("2027-06-01"))).containsExactly("m-amy", "m-ben");
        assertThat(ledger.expiringOn(tenant, LocalDate.parse("2027-06-11"))).containsExactly("m-cat");
        assertThat(ledger.expiringOn(tenant, LocalDate.parse("2027-06-02"))).isEmpty();
    }

    @Test
    void aRunExpiresWhatIsDueOnceAndTellsTheMember() {
        members();

        PointsExpiry.Summary first = job(ledger).run(RUN);
        PointsExpiry.Summary again = job(ledger).run(RUN.plus(Duration.ofHours(1)));

        assertThat(first.days()).hasSize(PointsExpiry.LOOKBACK_DAYS).contains("2027-06-01");
        assertThat(first.note()).as("did all it found").isEmpty();
        assertThat(first.members()).isEqualTo(2);
        assertThat(first.expired()).isEqualTo(2);
        assertThat(first.points()).isEqualTo(450);
        assertThat(balance("m-amy")).isZero();
        assertThat(balance("m-ben")).as("200 earned, 50 spent: 150 expire").isZero();
        assertThat(balance("m-cat")).as("not due for ten days").isEqualTo(100);
        assertThat(expiries("m-ben")).singleElement().satisfies(e -> assertThat(e.points()).isEqualTo(-150));
        assertThat(notices("m-amy")).singleElement().satisfies(n -> assertThat(n.body()).startsWith("300 points"));
        assertThat(notices("m-cat")).isEmpty();
        assertThat(again.days()).as("every day is done").isEmpty();
        assertThat(expiries("m-amy")).hasSize(1);
    }

    @Test
    void aRunThatDiesHalfWayIsFinishedByTheNextWithoutTakingAnythingTwice() {
        members();
        earn("m-dan", "D1", 80, EARNED.plusSeconds(7200));
        // The instance dies right after the second member's expiry was posted, before its notification.
        int[] posts = {0};
        PointsLedger crashing = new CrashAfterPost(ledger, () -> ++posts[0] == 2);

        assertThatThrownBy(() -> job(crashing).run(RUN)).isInstanceOf(InstanceCrash.class);
        long expiredBeforeRetry = List.of("m-amy", "m-ben", "m-dan").stream().filter(c -> balance(c) == 0).count();
        // The next run: the dead run's claim on the day has run out.
        PointsExpiry.Summary retry = job(ledger).run(RUN.plus(Duration.ofMinutes(20)));

        assertThat(expiredBeforeRetry).isEqualTo(2);
        assertThat(retry.days()).containsExactly("2027-06-01");
        for (String c : List.of("m-amy", "m-ben", "m-dan")) {
            assertThat(balance(c)).as(c).isZero();
            assertThat(expiries(c)).as(c).hasSize(1);
            assertThat(notices(c)).as(c + ": the notification the crash cut short is added").hasSize(1);
            long sum = ledger.entries(tenant, c).stream().mapToLong(LedgerEntry::points).sum();
            assertThat(sum).as(c + ": the ledger sums to the balance").isZero();
        }
        assertThat(balance("m-cat")).isEqualTo(100);
    }

    /** The ledger of an instance that dies right after a posting took effect. */
    private record CrashAfterPost(PointsLedger ledger, java.util.function.BooleanSupplier dies) implements PointsLedger {
        @Override
        public Result post(String tenant, String customerId, String requestId, CustomerProfile fresh,
                           CustomerProfile known, Posting posting) {
            Result r = ledger.post(tenant, customerId, requestId, fresh, known, posting);
            if (dies.getAsBoolean()) {
                throw new InstanceCrash("after posting " + requestId);
            }
            return r;
        }

        @Override
        public java.util.Optional<LedgerEntry> entry(String tenant, String customerId, String requestId) {
            return ledger.entry(tenant, customerId, requestId);
        }

        @Override
        public List<LedgerEntry> entries(String tenant, String customerId) {
            return ledger.entries(tenant, customerId);
        }

        @Override
        public List<String> expiringOn(String tenant, LocalDate day) {
            return ledger.expiringOn(tenant, day);
        }
    }
}
