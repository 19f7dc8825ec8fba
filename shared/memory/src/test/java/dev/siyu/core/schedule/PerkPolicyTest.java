package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.schedule.PerkPolicy.Verdict;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryGroupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerkPolicyTest {
    private static final Instant NOW = Blueprint.at("2026-03-03T10:00");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryGroupStore groups = new MemoryGroupStore();
    private final PerkPolicy policy = new PerkPolicy(Blueprint.COMMUNITY, groups, customers);
    private final Ids ids = new Ids();

    PerkPolicyTest() {
        groups.save(new Group(TENANT, "wr-perks", "Perks", Blueprint.PERKS, "amy", 0, "active", NOW.minus(Duration.ofDays(300))));
        groups.save(new Group(TENANT, "wr-fans", "Fans", Blueprint.FANS, "ben", 0, "active", NOW.minus(Duration.ofDays(300))));
    }

    private static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes((long) (days * 24 * 60)));
    }

    /** An engaged customer of 100 days who joined the given groups at the given days ago. */
    private CustomerProfile member(String id, Object... chatAndDaysAgo) {
        Activity a = Activity.NONE.interacted(daysAgo(1), true);
        for (int i = 0; i < chatAndDaysAgo.length; i += 2) {
            String chat = (String) chatAndDaysAgo[i];
            groups.addMember(TENANT, chat, id, daysAgo(((Number) chatAndDaysAgo[i + 1]).doubleValue()));
            a = a.joinedGroup(chat, chat.equals("wr-perks") ? Blueprint.PERKS : Blueprint.FANS);
        }
        CustomerProfile p = Blueprint.withActivity(Blueprint.customer(id, "amy", daysAgo(100)), a);
        customers.put(p);
        return p;
    }

    private void claimed(CustomerProfile p, double... daysAgo) {
        for (double d : daysAgo) {
            customers.append(TENANT, p.customerId(), List.of(new TimelineEvent(ids.next("ev", daysAgo(d)), daysAgo(d),
                    PerkPolicy.PERK_CLAIMED, null, Map.of("perk", "coupon_20_off_99"))));
        }
    }

    @Test
    void aMemberWhoJoinedLessThan3DaysAgoWaitsUntilTheObservationEnds() {
        CustomerProfile p = member("new", "wr-perks", 2);
        PerkPolicy.PerkDecision d = policy.decide(p, NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.WAIT_OBSERVATION);
        assertThat(d.until()).isEqualTo(daysAgo(2).plus(Duration.ofDays(3)));
        assertThat(policy.decide(p, d.until()).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void theEarliestJoinCounts_joiningASecondGroupDoesNotRestartTheObservation() {
        CustomerProfile p = member("settled", "wr-perks", 10, "wr-fans", 1);
        assertThat(policy.decide(p, NOW).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aCustomerInNoGroupIsObservedFromTheirAdd() {
        CustomerProfile p = Blueprint.customer("fresh", "amy", daysAgo(1));
        assertThat(policy.decide(p, NOW).verdict()).isEqualTo(Verdict.WAIT_OBSERVATION);
    }

    @Test
    void threePerksIn30DaysReachTheThreshold_untilTheOldestLeavesTheWindow() {
        CustomerProfile p = member("keen", "wr-perks", 60);
        claimed(p, 25, 10, 2);
        PerkPolicy.PerkDecision d = policy.decide(p, NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.OVER_THRESHOLD);
        assertThat(d.until()).isEqualTo(daysAgo(25).plus(Duration.ofDays(30)));
        assertThat(d.reason()).contains("3 perks claimed in the last 30 days");
        assertThat(policy.decide(p, d.until().plusSeconds(1)).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void claimsOlderThan30DaysDoNotCount() {
        CustomerProfile p = member("old-claims", "wr-perks", 60);
        claimed(p, 45, 31, 10, 2);
        PerkPolicy.PerkDecision d = policy.decide(p, NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.reason()).startsWith("2 of 3");
    }

    @Test
    void aFlaggedCustomerGetsNoPerks_andADowngradedOneOnlyWhileStillInactive() {
        CustomerProfile flagged = member("flagged", "wr-perks", 60);
        flagged = flagged.withActivity(flagged.activity().flagged(FreeloaderScan.ABNORMAL_CLAIMS), NOW);
        assertThat(policy.decide(flagged, NOW).verdict()).isEqualTo(Verdict.FLAGGED);

        CustomerProfile downgraded = Blueprint.withActivity(Blueprint.customer("dg", "amy", daysAgo(100)),
                Activity.NONE.interacted(daysAgo(40), true).flagged(CommunityCare.DOWNGRADED));
        assertThat(policy.decide(downgraded, NOW).verdict()).isEqualTo(Verdict.FLAGGED);
        CustomerProfile back = downgraded.withActivity(downgraded.activity().interacted(daysAgo(1), true), NOW);
        assertThat(policy.decide(back, NOW).verdict()).isEqualTo(Verdict.ALLOW);
    }
}
