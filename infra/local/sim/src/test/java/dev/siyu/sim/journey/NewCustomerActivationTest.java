package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.gate.Touch;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * new_customer_activation from config/scrm.example.yaml: 0min welcome, 30min guide, 24h perks-group
 * invite, 48h first-purchase coupon, 72h needs-diagnosis staff task, 7d trial offer; goal first_purchase
 * within 7d. Guardrails: 09:00-21:00, 3 journey messages per customer per ISO week.
 */
class NewCustomerActivationTest {
    static final String JOURNEY = "new_customer_activation";
    static final String TEMPLATE = "externalcontact/add_msg_template";

    JourneyHarness h;
    String perksChat = "wrPerks01";

    /** 2024-03-04 is a Monday: the first three touches fill the ISO week's journey cap. */
    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-03-04T02:00:00Z")); // 10:00 Asia/Shanghai
        h.group(perksChat, "Welcome Perks Group", "lisi");
    }

    @Test
    void withoutPurchaseEveryStepRunsAndTheFourthTouchOfTheWeekWaitsForMondayOpening() {
        // GIVEN a consenting customer added by zhangsan on Monday 10:00
        h.added("c1");

        // WHEN eight days pass without a purchase
        h.runUntil(h.local(2024, 3, 12, 12, 0));

        // THEN the three touches of the first week went out at their due times
        // (Monday's opening is 09:00 spread over 90 minutes per customer; the trial step, due at 10:00, runs
        // after the deferred ones, at whichever is later)
        // the coupon is the touch the weekly cap deferred; the staff task and the trial follow it
        String monday = h.localCouponOpening("c1", 2024, 3, 11, 9, 0);
        String trial = java.time.LocalDateTime.parse(monday).isAfter(java.time.LocalDateTime.parse("2024-03-11T10:00"))
                ? monday : "2024-03-11T10:00";
        List<CallLog.Call> calls = h.callsFor("c1");
        assertThat(calls).extracting(c -> h.localOf(c.at()).toString(), CallLog.Call::api).containsExactly(
                tuple("2024-03-04T10:00", TEMPLATE),
                tuple("2024-03-04T10:30", TEMPLATE),
                tuple("2024-03-05T10:00", TEMPLATE),
                tuple(monday, TEMPLATE),
                tuple(monday, TEMPLATE),
                tuple(trial, TEMPLATE));
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.body().path("chat_type").asText()).isEqualTo("single");
            assertThat(c.body().path("sender").asText()).isEqualTo("zhangsan");
        });
        assertThat(calls.get(0).body().path("text").path("content").asText()).startsWith("Welcome aboard!");
        assertThat(calls.get(0).body().path("attachments")).isEmpty();
        assertThat(calls.get(1).body().path("attachments").path(0).path("msgtype").asText()).isEqualTo("miniprogram");
        assertThat(calls.get(1).body().path("attachments").path(0).path("miniprogram").path("url").asText())
                .isEqualTo("pages/guide/index");
        assertThat(calls.get(2).body().path("attachments").path(0).path("link").path("url").asText())
                .isEqualTo(JourneyHarness.JOIN_QR + perksChat);
        // the 48h coupon, deferred by the weekly cap, goes out at Monday's opening
        assertThat(calls.get(3).body().path("attachments").path(0).path("miniprogram").path("url").asText())
                .isEqualTo("pages/coupon/index?coupon=first_purchase_30_off_99");
        // the 72h staff task follows at once (it was due on Thursday): a draft for zhangsan to confirm
        assertThat(calls.get(4).body().path("text").path("content").asText()).startsWith("Hi! I'd love to help you");
        assertThat(calls.get(5).body().path("attachments").path(0).path("miniprogram").path("url").asText())
                .isEqualTo("pages/trial/index");

        // AND the staff member was told about the task by an app message
        List<CallLog.Call> notices = h.calls("message/send");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).body().path("touser").asText()).isEqualTo("zhangsan");
        assertThat(notices.get(0).body().path("text").path("content").asText())
                .contains("needs_diagnosis").contains("Customer c1");
        assertThat(h.localOf(notices.get(0).at())).hasToString(monday);

        // AND the timeline tells the story step by step
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind, e -> e.details().get("step"))
                .containsExactly(
                        tuple("journey_started", null),
                        tuple("message_sent", "0"),
                        tuple("message_sent", "1"),
                        tuple("group_invite_sent", "2"),
                        tuple("outreach_deferred", "3"),
                        tuple("coupon_issued", "3"),
                        tuple("staff_task_created", "4"),
                        tuple("message_sent", "5"),
                        tuple("journey_completed", null));
        TimelineEvent deferred = h.events("c1", "outreach_deferred").get(0);
        assertThat(h.localOf(deferred.at())).hasToString("2024-03-06T10:00");
        assertThat(deferred.details()).containsEntry("rule", "JOURNEY_MESSAGE_CAP")
                .containsEntry("until", h.opening(Touch.coupon("c1", JourneyHarness.STAFF), 2024, 3, 11, 9, 0).toString())
                .containsEntry("label", "First-purchase exclusive coupon (30 off 99)");
        assertThat(h.localOf(h.events("c1", "coupon_issued").get(0).at())).hasToString(monday);
        TimelineEvent task = h.events("c1", "staff_task_created").get(0);
        assertThat(task.staffUserId()).isEqualTo("zhangsan");
        assertThat(task.details()).containsEntry("task", "needs_diagnosis").containsEntry("rule", "HUMAN_TOUCHPOINT")
                .containsEntry("label", "1-on-1 needs diagnosis");
        assertThat(h.events("c1", "group_invite_sent").get(0).details()).containsEntry("group", perksChat);
        assertThat(h.events("c1", "journey_goal_reached")).isEmpty();

        // AND the run is completed
        JourneyRun run = h.onlyRun("c1", JOURNEY);
        assertThat(run.status()).isEqualTo(JourneyRun.Status.COMPLETED);
        assertThat(run.endReason()).isEqualTo("completed");
        assertThat(h.dlq).isEmpty();
    }

    @Test
    void twoCustomersAddedInTheSameSecondGetTwoDeliveriesEachWithItsOwnTouchId() {
        // GIVEN two customers added at the same moment (their runs are named by the trigger's time)
        h.added("c1");
        h.added("c2");

        // WHEN the first day passes
        h.runUntil(h.local(2024, 3, 4, 12, 0));

        // THEN each message task names its own delivery: no touch id is on two customers' messages
        List<CallLog.Call> sent = h.calls(TEMPLATE);
        assertThat(sent).hasSizeGreaterThanOrEqualTo(4);
        assertThat(sent).extracting(CallLog.Call::touchId).doesNotHaveDuplicates().doesNotContainNull();
    }

    @Test
    void aStepFallingInQuietHoursWaitsForTheOpeningAndRunsThen() {
        // GIVEN a customer added on Monday at 20:45, so the 30min guide falls at 21:15
        h.clock.set(h.local(2024, 3, 4, 20, 45));
        h.added("c2");

        // WHEN the night passes
        h.runUntil(h.local(2024, 3, 5, 12, 0));

        // THEN the guide was deferred by QUIET_HOURS to the opening (09:00, spread per customer) and sent then
        String opening = h.localOpening("c2", 2024, 3, 5, 9, 0);
        TimelineEvent deferred = h.events("c2", "outreach_deferred").get(0);
        assertThat(h.localOf(deferred.at())).hasToString("2024-03-04T21:15");
        assertThat(deferred.details()).containsEntry("rule", "QUIET_HOURS").containsEntry("step", "1")
                .containsEntry("until", h.opening("c2", 2024, 3, 5, 9, 0).toString());
        assertThat(h.callsFor("c2")).extracting(c -> h.localOf(c.at()).toString())
                .containsExactly("2024-03-04T20:45", opening);
        assertThat(h.events("c2", "message_sent")).extracting(e -> e.details().get("step"), e -> h.localOf(e.at()).toString())
                .containsExactly(tuple("0", "2024-03-04T20:45"),
                        tuple("1", opening));
    }

    /**
     * The example flow has no exit_when: the coupon, task and trial steps carry
     * {@code !customer.has_purchased}, so after a purchase they are skipped and the run completes; the
     * goal first_purchase is counted when the purchase arrives.
     */
    @Test
    void aPurchaseAfter50HoursStopsEveryLaterTouchAndCountsTheGoal() {
        // GIVEN the customer of Monday 10:00, through the first three steps
        h.added("c3");
        h.runUntil(h.local(2024, 3, 6, 12, 0)); // 50 h later
        assertThat(h.callsFor("c3")).hasSize(3);

        // WHEN they make their first purchase 50 h after the add
        h.members.purchase("c3", 199.0, "skincare", h.now());
        h.runUntil(h.local(2024, 3, 12, 12, 0));

        // THEN no later step of the flow reached them or their staff member
        assertThat(h.callsFor("c3")).hasSize(3);
        assertThat(h.calls("message/send")).isEmpty();
        // AND the remaining steps were skipped for their condition
        assertThat(h.events("c3", "step_skipped")).extracting(e -> e.details().get("step"))
                .containsExactly("3", "4", "5");
        assertThat(h.events("c3", "step_skipped").get(0).details().get("reason"))
                .isEqualTo("condition does not hold: !customer.has_purchased");
        // AND the conversion was counted for the run, once, at the purchase
        List<TimelineEvent> goal = h.events("c3", "journey_goal_reached");
        assertThat(goal).hasSize(1);
        assertThat(goal.get(0).details()).containsEntry("journey", JOURNEY).containsEntry("goal", "first_purchase");
        assertThat(h.localOf(goal.get(0).at())).hasToString("2024-03-06T12:00");
        JourneyRun run = h.onlyRun("c3", JOURNEY);
        assertThat(run.goalReachedAt()).isEqualTo(h.local(2024, 3, 6, 12, 0));
        assertThat(run.status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }

    @Test
    void aFirstPurchaseAfterTheSevenDayWindowIsNotCountedAsTheGoal() {
        // GIVEN the customer of Monday 10:00 whose flow completed without a purchase
        h.added("c4");
        h.runUntil(h.local(2024, 3, 11, 10, 1)); // 7 d and 1 min later

        // WHEN they buy for the first time
        h.members.purchase("c4", 99.0, "skincare", h.now());
        h.settle();

        // THEN the activation flow's goal is not counted
        assertThat(h.events("c4", "journey_goal_reached")).isEmpty();
        assertThat(h.onlyRun("c4", JOURNEY).goalReachedAt()).isNull();
    }
}
