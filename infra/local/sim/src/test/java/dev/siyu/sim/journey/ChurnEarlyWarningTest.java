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
 * churn_early_warning: {score: churn, above: 0.7}; one step, a senior advisor's 1-on-1 follow-up task (who gets it:
 * {@link SeniorAdvisorTest}).
 */
class ChurnEarlyWarningTest {
    static final String JOURNEY = "churn_early_warning";

    JourneyHarness h;

    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-03-01T02:00:00Z"));
        // an engaged customer (not dormant): replied 5 days after the add
        h.customer("c1", h.now());
        h.update("c1", p -> p.withActivity(p.activity().interacted(h.local(2024, 3, 6, 10, 0), true), h.now()));
        h.runUntil(h.local(2024, 3, 10, 10, 0));
    }

    private List<JourneyRun> scored(double score) {
        h.update("c1", p -> p.withActivity(p.activity().withChurnScore(score), h.now()));
        return h.engine.starter.check(h.profile("c1"), h.now());
    }

    @Test
    void aScoreAbove07StartsOneSeniorAdvisorTask() {
        // GIVEN the daily scoring put the customer at 0.8
        // WHEN the daily check runs at 10:00
        List<JourneyRun> started = scored(0.8);
        h.advance(Duration.ofHours(1));

        // THEN only the churn flow started: the pool's senior advisor (lisi) got the task, the customer's advisor
        // (zhangsan, the only one the customer has as a contact) kept the draft and was told
        assertThat(started).extracting(JourneyRun::journey).containsExactly(JOURNEY);
        assertThat(h.calls()).extracting(c -> h.localOf(c.at()).toString(), CallLog.Call::api)
                .containsExactlyInAnyOrder(
                        tuple("2024-03-10T10:00", "message/send"),
                        tuple("2024-03-10T10:00", "message/send"));
        // the message waits on zhangsan's desk: only a contact can send it, as their own 1-on-1 message
        assertThat(h.deskTasks("c1")).singleElement().satisfies(t -> {
            assertThat(t.staffUserId()).isEqualTo("zhangsan");
            assertThat(t.externalUserId()).isEqualTo("wmc1");
            assertThat(t.kind()).isEqualTo(dev.siyu.core.desk.DeskTask.STAFF_TASK);
            assertThat(t.text()).startsWith("Hi, I'm the senior advisor for your account.");
        });
        assertThat(h.calls("message/send")).extracting(c -> c.body().path("touser").asText(),
                        c -> c.body().path("text").path("content").asText())
                .containsExactlyInAnyOrder(
                        tuple("lisi", "[senior advisor] Task churn_follow_up for Customer c1: you are not their WeCom"
                                + " contact, so the message waits on the desk of their advisor Zhang San; follow up"
                                + " with them."),
                        tuple("zhangsan", "Your customer Customer c1 was handed to senior advisor Li Si for"
                                + " churn_follow_up; the message is waiting on your desk in the chat sidebar."));
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind)
                .containsExactly("journey_started", "staff_task_created", "journey_completed");
        assertThat(h.events("c1", "staff_task_created").get(0).details()).containsEntry("task", "churn_follow_up")
                .containsEntry("desk_task", h.deskTasks("c1").get(0).id());

        // AND the next day's check, the score still high, starts nothing new
        h.runUntil(h.local(2024, 3, 11, 10, 0));
        assertThat(scored(0.85)).isEmpty();
        assertThat(h.runs("c1", JOURNEY)).hasSize(1);
    }

    @Test
    void aTaskWhoseNoticeTimedOutAfterWeComSentItIsNotMadeAgainByTheRedelivery() {
        // GIVEN the first notice reaches WeCom and its answer is lost to a read time-out (the step fails)
        h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-03-01T02:00:00Z"),
                dev.siyu.core.timer.TimerSweep.Settings.defaults(), ExactlyOnceStepTest.firstCall("notifyStaff", true,
                () -> new dev.siyu.core.port.WeComApiException(-1, "read timed out",
                        new java.net.SocketTimeoutException("Read timed out"))));
        h.customer("c1", h.now());
        h.update("c1", p -> p.withActivity(p.activity().interacted(h.local(2024, 3, 6, 10, 0), true), h.now()));
        h.runUntil(h.local(2024, 3, 10, 10, 0));

        scored(0.8);
        h.advance(Duration.ofHours(1));

        // THEN the redelivered step found its task on the desk: one task, one event, the run completed
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.calls("externalcontact/add_msg_template")).isEmpty();
        assertThat(h.events("c1", "staff_task_created")).hasSize(1);
        assertThat(h.runs("c1", JOURNEY)).extracting(JourneyRun::status).containsExactly(JourneyRun.Status.COMPLETED);
    }

    @Test
    void aScoreOf05OrExactly07StartsNothing() {
        assertThat(scored(0.5)).isEmpty();
        assertThat(scored(0.7)).isEmpty();
        h.advance(Duration.ofDays(1));

        assertThat(h.runs.runs(h.tenant, "c1")).isEmpty();
        assertThat(h.calls()).isEmpty();
    }

    @Test
    void aCheckAt0200LeavesTheTaskOnTheDeskAtOnce_itWaitsForTheStaffMembersHours() {
        // GIVEN the daily rules run at 02:00
        h.clock.set(h.local(2024, 3, 11, 2, 0));

        // WHEN the score crosses the threshold
        assertThat(scored(0.9)).hasSize(1);
        h.runUntil(h.local(2024, 3, 11, 12, 0));

        // THEN the task is on the desk at once (nothing reaches the customer until the advisor sends it in their
        // own hours), and the run does not wait for a person
        assertThat(h.events("c1", "outreach_deferred")).isEmpty();
        assertThat(h.deskTasks("c1")).extracting(t -> h.localOf(t.createdAt()).toString())
                .containsExactly("2024-03-11T02:00");
        assertThat(h.calls("externalcontact/add_msg_template")).isEmpty();
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }
}
