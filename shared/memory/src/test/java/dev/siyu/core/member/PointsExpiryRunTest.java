package dev.siyu.core.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.Membership;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.miniapp.MemberDetails;
import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The points-expiry job over days too big for one run and members whose expiry fails. */
class PointsExpiryRunTest {
    private static final Duration YEAR = Duration.ofDays(365);
    private static final Instant EARNED = Instant.parse("2026-06-01T02:00:00Z");
    private static final Instant RUN = Instant.parse("2027-06-03T00:30:00Z");
    private static final Membership MEMBERSHIP = new Membership(1, "CNY", YEAR,
            List.of(new Membership.Tier("silver", 0, List.of())), Map.of());
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
    private final PointsRules rules = new PointsRules(MEMBERSHIP);
    private final MemoryMemberDetailsStore details = new MemoryMemberDetailsStore();

    private void earn(String c, long points, Instant at) {
        CustomerProfile fresh = new CustomerProfile("t", c, null, null, "pos", "pos", null, null, Set.of(), Map.of(),
                Map.of("pos", c), at, at);
        String request = "order-" + c;
        ledger.post("t", c, request, fresh, latest -> rules.apply(latest, request, LedgerEntry.Kind.EARN, points,
                points, at, at.plus(YEAR), c, "ev-" + c)
                .map(x -> new PointsLedger.Applied(x.profile(), x.entry(), x.events())));
    }

    private long balance(String c) {
        return ports.customers().profile("t", c).orElseThrow().activity().points().balance();
    }

    @Test
    void aDayTooBigForOneRunIsFinishedOverSeveralRunsInsteadOfStartedOverByEach() {
        for (int i = 0; i < 250; i++) {
            earn(String.format("c-%03d", i), 10, EARNED);
        }
        // Each run's budget lasts for about 119 members.
        AtomicLong clock = new AtomicLong();
        PointsExpiry job = new PointsExpiry("t", ledger, rules, ports.customers(), details,
                () -> clock.addAndGet(PointsExpiry.BUDGET.toNanos() / 120));

        PointsExpiry.Summary first = job.run(RUN);
        assertThat(first.note()).startsWith("out of time");
        assertThat(first.days()).doesNotContain("2027-06-01");
        job.run(RUN);
        PointsExpiry.Summary third = job.run(RUN);

        assertThat(third.days()).contains("2027-06-01");
        for (int i = 0; i < 250; i++) {
            assertThat(balance(String.format("c-%03d", i))).as("member %d", i).isZero();
        }
    }

    @Test
    void aMemberWhoseExpiryFailsIsLeftToTheNextRunWhileTheOthersAndLaterDaysExpire() {
        earn("c-a-stuck", 100, EARNED);
        earn("c-b", 200, EARNED);
        earn("c-c-next-day", 300, EARNED.plus(Duration.ofDays(1)));
        // The stuck member's details change under every attempt to write them (the update gives up).
        AtomicBoolean stuck = new AtomicBoolean(true);
        MemberDetailsStore contended = new MemberDetailsStore() {
            @Override
            public Optional<MemberDetails> details(String tenant, String customerId) {
                return details.details(tenant, customerId);
            }

            @Override
            public boolean save(String tenant, MemberDetails d) {
                return !(stuck.get() && d.customerId().equals("c-a-stuck")) && details.save(tenant, d);
            }
        };
        PointsExpiry job = new PointsExpiry("t", ledger, rules, ports.customers(), contended);

        PointsExpiry.Summary first = job.run(RUN.plus(Duration.ofDays(1)));

        assertThat(first.note()).contains("1 members failed");
        assertThat(first.days()).contains("2027-06-02").doesNotContain("2027-06-01");
        assertThat(balance("c-b")).isZero();
        assertThat(balance("c-c-next-day")).isZero();
        assertThat(details.details("t", "c-a-stuck")).isEmpty();

        stuck.set(false);
        PointsExpiry.Summary second = job.run(RUN.plus(Duration.ofDays(1)));
        assertThat(second.days()).containsExactly("2027-06-01");
        assertThat(balance("c-a-stuck")).isZero();
        assertThat(details.details("t", "c-a-stuck").orElseThrow().notifications())
                .extracting(MemberDetails.Notification::kind).containsExactly(PointsExpiry.NOTIFICATION_KIND);
    }
}
