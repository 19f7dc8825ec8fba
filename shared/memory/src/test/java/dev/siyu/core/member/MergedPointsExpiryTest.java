package dev.siyu.core.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.Membership;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemorySubscriptionStore;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.core.engine.Ports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Points keep their expiry through a merge, and points past their expiry cannot be spent before the job runs. */
class MergedPointsExpiryTest {
    private static final Duration YEAR = Duration.ofDays(365);
    private static final Instant EARNED = Instant.parse("2026-06-01T02:00:00Z");
    private static final Membership MEMBERSHIP = new Membership(1, "CNY", YEAR,
            List.of(new Membership.Tier("silver", 0, List.of())), Map.of());
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
    private final PointsRules rules = new PointsRules(MEMBERSHIP);

    private void earn(String c, String order, long points, Instant at) {
        CustomerProfile fresh = new CustomerProfile("t", c, null, null, "pos", "pos", null, null, Set.of(), Map.of(),
                Map.of("pos", c), at, at);
        String request = "order-" + order;
        ledger.post("t", c, request, fresh, latest -> rules.apply(latest, request, LedgerEntry.Kind.EARN, points,
                points, at, at.plus(YEAR), order, "ev-" + order)
                .map(x -> new PointsLedger.Applied(x.profile(), x.entry(), x.events())));
    }

    @Test
    void pointsMergedIntoASurvivorExpireWhenTheyWouldHaveOnTheAbsorbedCustomer() {
        earn("c-old", "A1", 10, EARNED);
        earn("c-new", "B1", 300, EARNED.plusSeconds(60));
        new CustomerMerge(ports.customers(), ledger, rules, new MemoryTenantLog(), new dev.siyu.memory.MemoryQueue(),
                new MemorySubscriptionStore(), null)
                .merge("t", "c-new", "c-old", "phone", EARNED.plus(Duration.ofDays(1)));
        long before = ports.customers().profile("t", "c-old").orElseThrow().activity().points().balance();

        PointsExpiry.Summary s = new PointsExpiry("t", ledger, rules, ports.customers(), new MemoryMemberDetailsStore())
                .run(Instant.parse("2027-06-03T00:30:00Z"));

        long after = ports.customers().profile("t", "c-old").orElseThrow().activity().points().balance();
        assertThat(s.expired()).isEqualTo(1);
        assertThat(before).isEqualTo(310);
        assertThat(after).as("all 310 points were earned more than a year ago").isZero();
    }

    @Test
    void mergedLotsKeepTheirOwnExpiryAndWhatWasSpentComesOffTheSoonest() {
        earn("c-old", "A1", 10, EARNED);
        earn("c-new", "B1", 100, EARNED.plusSeconds(60));
        earn("c-new", "B2", 200, EARNED.plus(Duration.ofDays(100)));
        new PointsAccount(ledger, rules).redeem("t", "c-new", "r1", 40, "cup", EARNED.plus(Duration.ofDays(101)));
        new CustomerMerge(ports.customers(), ledger, rules, new MemoryTenantLog(), new dev.siyu.memory.MemoryQueue(),
                new MemorySubscriptionStore(), null)
                .merge("t", "c-new", "c-old", "phone", EARNED.plus(Duration.ofDays(102)));
        assertThat(ports.customers().profile("t", "c-old").orElseThrow().activity().points().balance())
                .isEqualTo(270);

        // A year after the first orders: A1's 10 and what is left of B1 (60) expire, B2's 200 not yet.
        new PointsExpiry("t", ledger, rules, ports.customers(), new MemoryMemberDetailsStore())
                .run(Instant.parse("2027-06-03T00:30:00Z"));
        assertThat(ports.customers().profile("t", "c-old").orElseThrow().activity().points().balance())
                .isEqualTo(200);
        new PointsExpiry("t", ledger, rules, ports.customers(), new MemoryMemberDetailsStore())
                .run(EARNED.plus(Duration.ofDays(100)).plus(YEAR).plus(Duration.ofDays(1)));
        assertThat(ports.customers().profile("t", "c-old").orElseThrow().activity().points().balance()).isZero();
    }

    @Test
    void pointsPastTheirExpiryCannotBeSpentBeforeTheNightlyJobTakesThem() {
        earn("c-old", "A1", 100, EARNED);
        PointsAccount account = new PointsAccount(ledger, rules);

        // An hour after they expired; the job runs after the end of the day.
        PointsLedger.Result r = account.redeem("t", "c-old", "r-late", 50, "cup", EARNED.plus(YEAR).plusSeconds(3600));

        assertThat(r.outcome()).isEqualTo(PointsLedger.Outcome.REFUSED);
        assertThat(ports.customers().profile("t", "c-old").orElseThrow().activity().points().balance())
                .isEqualTo(100);
        assertThat(account.redeem("t", "c-old", "r-early", 50, "cup", EARNED.plus(YEAR).minusSeconds(3600))
                .outcome()).isEqualTo(PointsLedger.Outcome.POSTED);
    }
}
