package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dormant_reactivation: started by the daily rules' {@code check()} once a customer has had 30 days
 * without interaction or purchase; delays count from the last activity: 30d Moments post for the
 * dormant_customer tag, 45d comeback coupon, 60d care-message staff task, 90d lower priority when
 * still silent. exit_when: the customer interacted after the run started.
 */
class DormantReactivationTest {
    static final String JOURNEY = "dormant_reactivation";
    static final String MOMENT = "externalcontact/add_moment_task";
    static final String MARK_TAG = "externalcontact/mark_tag";

    JourneyHarness h;
    /** 2024-01-01 10:00 Asia/Shanghai, a Monday: the customers' add, and their last activity. */
    Instant added;

    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-01-01T02:00:00Z"));
        added = h.now();
    }

    private List<JourneyRun> dailyCheck(String id) {
        return h.engine.starter.check(h.profile(id), h.now());
    }

    @Test
    void aCustomerSilentFor30DaysGetsThePostTheCouponTheCareTaskAndFinallyALowerPriority() {
        // GIVEN a customer added on 2024-01-01 who never interacted or bought
        h.customer("c1", added);

        // WHEN the daily check runs after 29 and after 30 days
        h.runUntil(h.local(2024, 1, 30, 10, 0));
        assertThat(dailyCheck("c1")).isEmpty();
        h.runUntil(h.local(2024, 1, 31, 10, 0));
        List<JourneyRun> started = dailyCheck("c1");

        // THEN only the dormancy flow starts, anchored at the last activity
        assertThat(started).extracting(JourneyRun::journey).containsExactly(JOURNEY);
        assertThat(started.get(0).anchor()).isEqualTo(added);

        // WHEN the flow plays out
        h.runUntil(h.local(2024, 4, 5, 0, 0));

        // THEN the customer was tagged and a Moments post visible to the tag went out on day 30
        List<CallLog.Call> calls = h.calls();
        assertThat(calls).extracting(c -> h.localOf(c.at()).toString(), CallLog.Call::api).containsExactlyInAnyOrder(
                tuple("2024-01-31T10:00", MARK_TAG),
                tuple("2024-01-31T10:00", MOMENT),
                tuple("2024-02-15T10:00", "externalcontact/add_msg_template"),
                tuple("2024-03-01T10:00", "message/send"));
        assertThat(calls.subList(0, 3)).extracting(CallLog.Call::api)
                .as("the post first, then the tag that shows it (a post that fails leaves no tag)")
                .containsExactly(MOMENT, MARK_TAG, "externalcontact/add_msg_template");
        String tagId = calls.get(1).body().path("add_tag").path(0).asText();
        assertThat(tagId).isNotBlank();
        assertThat(calls.get(1).body().path("external_userid").asText()).isEqualTo("wmc1");
        assertThat(calls.get(1).body().path("userid").asText()).isEqualTo("zhangsan");
        assertThat(calls.get(0).body().path("visible_range").path("external_contact_list").path("tag_list").path(0)
                .asText()).isEqualTo(tagId);
        assertThat(calls.get(0).body().path("visible_range").path("sender_list").path("user_list"))
                .hasSize(h.config.staff().size());
        assertThat(h.profile("c1").tags()).contains("dormant_customer");
        // the 45d coupon and the 60d care message on zhangsan's desk
        assertThat(calls.get(2).body().path("attachments").path(0).path("miniprogram").path("title").asText())
                .isEqualTo("comeback_20");
        assertThat(h.calls("message/send")).singleElement()
                .satisfies(c -> assertThat(c.body().path("text").path("content").asText()).contains("care_message"));
        assertThat(h.deskTasks("c1")).singleElement().satisfies(t -> {
            assertThat(t.text()).startsWith("Hi, it's been a while!");
            assertThat(h.localOf(t.createdAt())).hasToString("2024-03-01T10:00");
        });

        // AND on day 90, still silent, the customer's priority was lowered and the run completed
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind, e -> h.localOf(e.at()).toString())
                .containsExactly(
                        tuple("journey_started", "2024-01-31T10:00"),
                        tuple("tags_changed", "2024-01-31T10:00"),
                        tuple("moments_post_visible", "2024-01-31T10:00"),
                        tuple("coupon_issued", "2024-02-15T10:00"),
                        tuple("staff_task_created", "2024-03-01T10:00"),
                        tuple("priority_lowered", "2024-03-31T10:00"),
                        tuple("journey_completed", "2024-03-31T10:00"));
        assertThat(h.events("c1", "tags_changed").get(0).details()).containsEntry("added", "dormant_customer");
        assertThat(h.profile("c1").activity().lowPriority()).isTrue();
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);

        // AND the same silent episode never starts the flow again
        assertThat(dailyCheck("c1")).isEmpty();
        assertThat(h.runs("c1", JOURNEY)).hasSize(1);
    }

    @Test
    void aMomentsPostTheGateDropsTagsNobody() {
        // GIVEN a dormant customer whose dormancy flow started, who then deleted the staff member
        h.customer("c1", added);
        h.runUntil(h.local(2024, 1, 31, 10, 0));
        h.deletesStaff("c1");
        assertThat(dailyCheck("c1")).extracting(JourneyRun::journey).containsExactly(JOURNEY);

        // WHEN the Moments step comes due
        h.runUntil(h.local(2024, 2, 1, 0, 0));

        // THEN the gate dropped it, and no tag was marked to make the post visible to them
        assertThat(h.events("c1", "outreach_dropped")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("rule", "RELATIONSHIP"));
        assertThat(h.events("c1", "tags_changed")).isEmpty();
        assertThat(h.profile("c1").tags()).doesNotContain("dormant_customer");
        assertThat(h.calls()).extracting(CallLog.Call::api).doesNotContain(MARK_TAG, MOMENT);
    }

    @Test
    void theMomentsPostIsPublishedOncePerDayHoweverManyCustomersReachTheStep() {
        // GIVEN five customers silent since 2024-01-01 and one silent since 2024-01-02
        for (int i = 0; i < 5; i++) {
            h.customer("d" + i, added);
        }
        h.customer("late", added.plus(Duration.ofDays(1)));

        // WHEN the daily check runs on 2024-01-31 and 2024-02-01
        h.runUntil(h.local(2024, 1, 31, 10, 0));
        for (int i = 0; i < 5; i++) {
            assertThat(dailyCheck("d" + i)).hasSize(1);
        }
        h.settle();
        h.runUntil(h.local(2024, 2, 1, 10, 0));
        for (int i = 0; i < 5; i++) {
            assertThat(dailyCheck("d" + i)).isEmpty();
        }
        assertThat(dailyCheck("late")).hasSize(1);
        h.settle();

        // THEN each customer was tagged, but one Moments task went out per day
        assertThat(h.calls(MARK_TAG)).hasSize(6);
        assertThat(h.calls(MOMENT)).extracting(c -> h.localOf(c.at()).toString())
                .containsExactly("2024-01-31T10:00", "2024-02-01T10:00");
        // AND every one of them has the post recorded as visible to them
        for (String id : List.of("d0", "d1", "d2", "d3", "d4", "late")) {
            assertThat(h.events(id, "moments_post_visible")).as(id).hasSize(1);
            assertThat(h.profile(id).tags()).as(id).contains("dormant_customer");
        }
    }

    @Test
    void aReplyExitsTheRunAndACheckTheSameDayStartsNoSecondRun() {
        // GIVEN a run started on day 30
        h.customer("c2", added);
        h.runUntil(h.local(2024, 1, 31, 10, 0));
        assertThat(dailyCheck("c2")).hasSize(1);

        // WHEN the check runs again that afternoon
        h.runUntil(h.local(2024, 1, 31, 15, 0));

        // THEN no second run starts
        assertThat(dailyCheck("c2")).isEmpty();
        assertThat(h.runs("c2", JOURNEY)).hasSize(1);

        // WHEN the customer replies on day 50, after the coupon
        h.runUntil(h.local(2024, 2, 20, 10, 0));
        h.members.reply("c2", h.now());
        h.runUntil(h.local(2024, 4, 5, 0, 0));

        // THEN the reply counted as the flow's goal and the run exited before the care task
        assertThat(h.events("c2", "journey_goal_reached")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("journey", JOURNEY).containsEntry("goal", "reply"));
        JourneyRun run = h.onlyRun("c2", JOURNEY);
        assertThat(run.status()).isEqualTo(JourneyRun.Status.EXITED);
        assertThat(run.endReason()).isEqualTo("exited: customer.last_interaction_at > run.started_at");
        assertThat(run.endedAt()).isEqualTo(h.local(2024, 3, 1, 10, 0));
        assertThat(h.events("c2", "journey_exited")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("journey", JOURNEY));
        assertThat(h.calls("message/send")).isEmpty();
        assertThat(h.events("c2", "staff_task_created")).isEmpty();
        assertThat(h.events("c2", "priority_lowered")).isEmpty();
        assertThat(h.profile("c2").activity().lowPriority()).isFalse();
        assertThat(h.journeyEvents("c2", JOURNEY)).extracting(TimelineEvent::kind).containsExactly(
                "journey_started", "tags_changed", "moments_post_visible", "coupon_issued", "journey_goal_reached",
                "journey_exited");
    }
}
