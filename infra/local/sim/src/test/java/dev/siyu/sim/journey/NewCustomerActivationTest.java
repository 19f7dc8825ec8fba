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
    static final String DESK = JourneyHarness.Touched.DESK;
    static final String TEMPLATE_TASK = JourneyHarness.Touched.TEMPLATE;

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
        // the staff task (due Thursday) follows the deferred coupon at once: a run's steps go in order
        String task = monday;
        List<JourneyHarness.Touched> touches = h.touchesFor("c1");
        // the 1-on-1 messages and the staff task wait on zhangsan's desk (his own chat messages, not customer
        // mass messages); the invite and the coupon are add_msg_template tasks
        assertThat(touches).extracting(t -> h.localOf(t.at()).toString(), JourneyHarness.Touched::via)
                .containsExactlyInAnyOrder(
                        tuple("2024-03-04T10:00", DESK),
                        tuple("2024-03-04T10:30", DESK),
                        tuple("2024-03-05T10:00", TEMPLATE_TASK),
                        tuple(monday, TEMPLATE_TASK),
                        tuple(task, DESK),
                        tuple(trial, DESK));
        assertThat(touches).allSatisfy(t -> assertThat(t.sender()).isEqualTo("zhangsan"));
        assertThat(touches.get(0).text()).startsWith("Welcome aboard!");
        assertThat(touches.get(0).attachment()).isNull();
        assertThat(touches.get(1).attachment()).isEqualTo("miniprogram");
        assertThat(touches.get(1).url()).isEqualTo("pages/guide/index");
        assertThat(touches.get(2).url()).isEqualTo(JourneyHarness.JOIN_QR + perksChat);
        // the 48h coupon, deferred by the weekly cap, goes out at Monday's opening
        assertThat(touches).filteredOn(t -> "pages/coupon/index?coupon=first_purchase_30_off_99".equals(t.url()))
                .extracting(t -> h.localOf(t.at()).toString()).containsExactly(monday);
        // the 72h staff task is a message on zhangsan's desk (it counts against the weekly cap like any journey
        // message, and next week has room)
        assertThat(touches).filteredOn(t -> t.text().startsWith("Hi! I'd love to help you"))
                .extracting(t -> h.localOf(t.at()).toString(), JourneyHarness.Touched::via)
                .containsExactly(tuple(task, DESK));
        assertThat(touches).filteredOn(t -> "pages/trial/index".equals(t.url())).hasSize(1);
        assertThat(h.calls(TEMPLATE)).as("two customer mass messages, not six").hasSize(2);

        // AND the staff member was told about each desk message by an app message
        List<CallLog.Call> notices = h.calls("message/send");
        assertThat(notices).hasSize(4).allSatisfy(n -> assertThat(n.body().path("touser").asText()).isEqualTo("zhangsan"));
        assertThat(notices).filteredOn(n -> n.body().path("text").path("content").asText().contains("needs_diagnosis"))
                .singleElement().satisfies(n -> {
                    assertThat(n.body().path("text").path("content").asText()).contains("Customer c1");
                    assertThat(h.localOf(n.at())).hasToString(task);
                });

        // AND the timeline tells the story step by step
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind, e -> e.details().get("step"))
                .containsExactly(
                        tuple("journey_started", null),
                        tuple("desk_task_created", "0"),
                        tuple("desk_task_created", "1"),
                        tuple("group_invite_sent", "2"),
                        tuple("outreach_deferred", "3"),
                        tuple("coupon_issued", "3"),
                        tuple("staff_task_created", "4"),
                        tuple("desk_task_created", "5"),
                        tuple("journey_completed", null));
        TimelineEvent deferred = h.events("c1", "outreach_deferred").get(0);
        assertThat(h.localOf(deferred.at())).hasToString("2024-03-06T10:00");
        assertThat(deferred.details()).containsEntry("rule", "JOURNEY_MESSAGE_CAP")
                .containsEntry("until", h.opening(Touch.coupon("c1", JourneyHarness.STAFF), 2024, 3, 11, 9, 0).toString())
                .containsEntry("label", "First-purchase exclusive coupon (30 off 99)");
        assertThat(h.localOf(h.events("c1", "coupon_issued").get(0).at())).hasToString(monday);
        TimelineEvent staffTask = h.events("c1", "staff_task_created").get(0);
        assertThat(staffTask.staffUserId()).isEqualTo("zhangsan");
        assertThat(staffTask.details()).containsEntry("task", "needs_diagnosis")
                .containsEntry("label", "1-on-1 needs diagnosis").containsKey("desk_task");
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

        // THEN each message names its own delivery: no touch id (nor desk task) is on two customers' messages
        List<JourneyHarness.Touched> sent = new java.util.ArrayList<>(h.touchesFor("c1"));
        sent.addAll(h.touchesFor("c2"));
        assertThat(sent).hasSizeGreaterThanOrEqualTo(4);
        assertThat(sent).extracting(JourneyHarness.Touched::touchId).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(h.deskTasks()).extracting(dev.siyu.core.desk.DeskTask::id).doesNotHaveDuplicates();
    }

    @Test
    void aMessageDueInQuietHoursWaitsOnTheDeskNotInTheQueue_theInviteWaitsForTheOpening() {
        // GIVEN a customer added on Monday at 21:30, so the 30min guide falls at 22:00
        h.clock.set(h.local(2024, 3, 4, 21, 30));
        h.added("c2");

        // WHEN two nights pass
        h.runUntil(h.local(2024, 3, 6, 12, 0));

        // THEN the guide is on zhangsan's desk at 22:00 (he sends it in his own hours; quiet hours do not hold a
        // task back), while the 24h invite, an add_msg_template task due at 21:30 on Tuesday, waits for the opening
        assertThat(h.events("c2", "desk_task_created")).extracting(e -> e.details().get("step"),
                        e -> h.localOf(e.at()).toString())
                .containsExactly(tuple("0", "2024-03-04T21:30"), tuple("1", "2024-03-04T22:00"));
        TimelineEvent deferred = h.events("c2", "outreach_deferred").get(0);
        assertThat(deferred.details()).containsEntry("rule", "QUIET_HOURS").containsEntry("step", "2");
        assertThat(h.touchesFor("c2")).filteredOn(t -> t.via().equals(TEMPLATE_TASK))
                .extracting(t -> h.localOf(t.at()).toString())
                .containsExactly(h.localOf(Instant.parse(deferred.details().get("until"))).toString());
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
        assertThat(h.touchesFor("c3")).hasSize(3);
        List<CallLog.Call> notices = h.calls("message/send");

        // WHEN they make their first purchase 50 h after the add
        h.members.purchase("c3", 199.0, "skincare", h.now());
        h.runUntil(h.local(2024, 3, 12, 12, 0));

        // THEN no later step of the flow reached them or their staff member
        assertThat(h.touchesFor("c3")).hasSize(3);
        assertThat(h.calls("message/send")).isEqualTo(notices);
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
