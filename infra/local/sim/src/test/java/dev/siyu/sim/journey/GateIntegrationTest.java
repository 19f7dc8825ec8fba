package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outreach gate's red lines and quiet hours, seen through whole journeys. */
class GateIntegrationTest {
    static final String JOURNEY = "new_customer_activation";

    JourneyHarness h;

    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-03-04T02:00:00Z")); // Monday 10:00
        h.group("wrPerks01", "Welcome Perks Group", "lisi");
    }

    @Test
    void aCustomerWhoWithdrewConsentGetsNoTouchAtAll() {
        // GIVEN a customer who withdrew marketing consent right after being added
        h.customer("c1", h.now());
        h.members.withdrawConsent("c1", h.now());
        h.queue.enqueue(new dev.siyu.core.port.JourneyQueue.JourneyTrigger(h.tenant, "c1", "contact_added", h.now(),
                java.util.Map.of("staff", JourneyHarness.STAFF)));

        // WHEN the activation flow plays out
        h.runUntil(h.local(2024, 3, 12, 12, 0));

        // THEN nothing reached them or their staff member: every step was dropped for CONSENT
        assertThat(h.calls()).isEmpty();
        List<TimelineEvent> dropped = h.events("c1", "outreach_dropped");
        assertThat(dropped).extracting(e -> e.details().get("step"), e -> e.details().get("rule")).containsExactly(
                tuple("0", "CONSENT"), tuple("1", "CONSENT"), tuple("2", "CONSENT"), tuple("3", "CONSENT"),
                tuple("4", "CONSENT"), tuple("5", "CONSENT"));
        assertThat(dropped.get(0).details().get("reason")).contains("withdrew consent");
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
        assertThat(h.decisions.counts(h.tenant, LocalDate.of(2024, 3, 4), LocalDate.of(2024, 3, 12)))
                .containsEntry("DROP:CONSENT", 6L).doesNotContainKey("ALLOW");
    }

    @Test
    void aCustomerWhoDeletedTheStaffMemberGetsNothingMore() {
        // GIVEN a customer who got the welcome, then deleted zhangsan ten minutes later
        h.added("c1");
        h.runUntil(h.local(2024, 3, 4, 10, 10));
        assertThat(h.calls()).hasSize(1);
        h.deletesStaff("c1");

        // WHEN the flow plays out
        h.runUntil(h.local(2024, 3, 12, 12, 0));

        // THEN nothing else went out, and every later step was dropped for RELATIONSHIP
        assertThat(h.calls()).hasSize(1);
        assertThat(h.events("c1", "outreach_dropped")).extracting(e -> e.details().get("step"),
                e -> e.details().get("rule")).containsExactly(
                tuple("1", "RELATIONSHIP"), tuple("2", "RELATIONSHIP"), tuple("3", "RELATIONSHIP"),
                tuple("4", "RELATIONSHIP"), tuple("5", "RELATIONSHIP"));
        assertThat(h.events("c1", "outreach_dropped").get(0).details().get("reason"))
                .contains("the customer deleted zhangsan");
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }

    @Test
    void aStepDueAt2300WaitsFor0900AndRunsThen() {
        // GIVEN a customer added on Monday at 23:00 local: the welcome and the guide go to the staff desk at once
        // (a task waits for the staff member's hours), the 24h invite falls on Tuesday at 23:00
        h.group("wrPerks01", "Welcome Perks Group", "lisi");
        h.clock.set(h.local(2024, 3, 4, 23, 0));
        h.added("c1");

        // WHEN two nights pass
        h.runUntil(h.local(2024, 3, 6, 12, 0));

        // THEN the invite due at 23:00 was deferred by QUIET_HOURS to the opening (09:00, spread over the first
        // 90 minutes per customer and touch) and sent then
        Instant opening = h.opening(dev.siyu.core.gate.Touch.groupInvite("c1", JourneyHarness.STAFF, "wrPerks01"),
                2024, 3, 6, 9, 0);
        String sentAt = h.localOf(opening).toString();
        assertThat(opening).isBetween(h.local(2024, 3, 6, 9, 0), h.local(2024, 3, 6, 10, 30));
        assertThat(h.events("c1", "outreach_deferred")).singleElement().satisfies(deferred -> {
            assertThat(h.localOf(deferred.at())).hasToString("2024-03-05T23:00");
            assertThat(deferred.details()).containsEntry("rule", "QUIET_HOURS").containsEntry("step", "2")
                    .containsEntry("until", opening.toString());
        });
        assertThat(h.calls("externalcontact/add_msg_template")).extracting(c -> h.localOf(c.at()).toString())
                .containsExactly(sentAt);
        assertThat(h.events("c1", "desk_task_created")).extracting(e -> e.details().get("step"),
                e -> h.localOf(e.at()).toString())
                .containsExactly(tuple("0", "2024-03-04T23:00"), tuple("1", "2024-03-04T23:30"));
        // AND the deferred step waited as a timer in that minute's bucket
        assertThat(h.timers.placed).filteredOn(t -> t.step().step() == 2)
                .anySatisfy(t -> assertThat(t.minute()).isEqualTo(opening.truncatedTo(
                        java.time.temporal.ChronoUnit.MINUTES)));
    }

    @Test
    void aDormantCustomerWhoDeletedTheStaffMemberGetsNoWeComCall() {
        // GIVEN a customer silent for 30 days who deleted zhangsan
        JourneyHarness d = new JourneyHarness(Instant.parse("2024-01-01T02:00:00Z"));
        d.customer("c1", d.now());
        d.deletesStaff("c1");
        d.clock.set(d.local(2024, 1, 31, 10, 0));

        // WHEN the dormancy flow runs
        assertThat(d.engine.starter.check(d.profile("c1"), d.now())).hasSize(1);
        d.runUntil(d.local(2024, 4, 5, 0, 0));

        // THEN no WeCom call concerned them, and the run ended
        assertThat(d.touchesFor("c1")).isEmpty();
        assertThat(d.events("c1", "outreach_dropped")).extracting(e -> e.details().get("rule"))
                .containsOnly("RELATIONSHIP");
        assertThat(d.onlyRun("c1", "dormant_reactivation").status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }
}
