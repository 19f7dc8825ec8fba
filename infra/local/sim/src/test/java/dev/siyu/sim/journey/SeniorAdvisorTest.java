package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A {@code senior: true} staff task (churn_early_warning's churn_follow_up) goes to a senior advisor of the customer's
 * pool. In the example blueprint the customer's advisor is zhangsan (sales_team_east) and that pool's senior advisor
 * is lisi ({@code roles: [senior_advisor]}).
 */
class SeniorAdvisorTest {
    static final String JOURNEY = "churn_early_warning";
    static final String LISI = "  - user_id: lisi\n    name: Li Si\n    pools: [sales_team_east]\n    daily_add_limit: 200\n"
            + "    roles: [senior_advisor]\n";

    JourneyHarness h;

    private void churning(JourneyHarness harness) {
        h = harness;
        h.customer("c1", h.now());
        h.update("c1", p -> p.withActivity(p.activity().interacted(h.local(2024, 3, 6, 10, 0), true), h.now()));
        h.runUntil(h.local(2024, 3, 10, 10, 0));
        h.update("c1", p -> p.withActivity(p.activity().withChurnScore(0.8), h.now()));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);
    }

    private static JourneyHarness harness(String yaml) {
        return new JourneyHarness(ExampleConfig.load(yaml, "scrm.example.yaml"), Instant.parse("2024-03-01T02:00:00Z"));
    }

    private static String text(CallLog.Call c) {
        return c.body().path("text").path("content").asText();
    }

    /** What the call's touch id ends with: each notice is its own delivery, made at most once. */
    private static String claim(CallLog.Call c) {
        return c.touchId().substring(c.touchId().lastIndexOf('#'));
    }

    private static String to(CallLog.Call c) {
        return c.body().path("touser").asText();
    }

    @Test
    void aSeniorAdvisorWhoIsTheCustomersContactGetsTheTaskAndTheDraftAndTheAdvisorIsTold() {
        // GIVEN lisi has had the customer as a WeCom contact since before zhangsan (who stays their advisor)
        churning(new JourneyHarness(Instant.parse("2024-03-01T02:00:00Z")));
        h.update("c1", p -> p.withRelationship(StaffRelationship.started("lisi", "parcel_card_east",
                Instant.parse("2024-02-01T02:00:00Z"), false), h.now()));

        // WHEN the churn task is performed
        h.advance(Duration.ofHours(1));

        // THEN the desk task is lisi's, lisi is told a message waits, and zhangsan hears who took their customer
        assertThat(h.deskTasks("c1")).singleElement()
                .satisfies(d -> assertThat(d.staffUserId()).isEqualTo("lisi"));
        assertThat(h.calls("externalcontact/add_msg_template")).isEmpty();
        assertThat(h.calls("message/send")).extracting(SeniorAdvisorTest::to, SeniorAdvisorTest::text, SeniorAdvisorTest::claim)
                .containsExactlyInAnyOrder(
                        tuple("lisi", "[senior advisor] Task churn_follow_up for Customer c1: a message is waiting on"
                                + " your desk in the chat sidebar.", "#notify"),
                        tuple("zhangsan", "Your customer Customer c1 was handed to senior advisor Li Si for"
                                + " churn_follow_up.", "#notify-advisor"));
        assertThat(h.events("c1", "staff_task_created")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("senior_advisor", "lisi").containsEntry("drafted_by", "lisi"));
    }

    @Test
    void aSeniorAdvisorWhoIsNotTheContactGetsTheTaskWhileTheDraftStaysWithTheAdvisor() {
        churning(new JourneyHarness(Instant.parse("2024-03-01T02:00:00Z")));

        h.advance(Duration.ofHours(1));

        assertThat(h.deskTasks("c1")).singleElement()
                .satisfies(d -> assertThat(d.staffUserId()).isEqualTo("zhangsan"));
        assertThat(h.calls("externalcontact/add_msg_template")).isEmpty();
        assertThat(h.calls("message/send")).extracting(SeniorAdvisorTest::to, SeniorAdvisorTest::text)
                .containsExactlyInAnyOrder(
                        tuple("lisi", "[senior advisor] Task churn_follow_up for Customer c1: you are not their WeCom"
                                + " contact, so the message waits on the desk of their advisor Zhang San; follow up"
                                + " with them."),
                        tuple("zhangsan", "Your customer Customer c1 was handed to senior advisor Li Si for"
                                + " churn_follow_up; the message is waiting on your desk in the chat sidebar."));
        assertThat(h.events("c1", "staff_task_created")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("senior_advisor", "lisi").containsEntry("drafted_by", "zhangsan"));
        assertThat(h.events("c1", "senior_advisor_missing")).isEmpty();
    }

    @Test
    void theLeastLoadedSeniorAdvisorOfThePoolGetsTheTask() {
        // GIVEN a second senior advisor in the pool, qianer, with fewer active customers than lisi
        String yaml = ExampleConfig.replacing(ExampleConfig.TEXT, LISI, LISI
                + "  - user_id: qianer\n    name: Qian Er\n    pools: [sales_team_east]\n    daily_add_limit: 200\n"
                + "    roles: [senior_advisor]\n");
        churning(harness(yaml));
        h.loads.seedActive(h.tenant, "sales_team_east", "lisi", 40);
        h.loads.seedActive(h.tenant, "sales_team_east", "qianer", 12);

        h.advance(Duration.ofHours(1));

        // THEN qianer got the task and zhangsan was told it was qianer
        assertThat(h.calls("message/send")).extracting(SeniorAdvisorTest::to).containsExactlyInAnyOrder("qianer", "zhangsan");
        assertThat(h.calls("message/send")).filteredOn(c -> to(c).equals("zhangsan")).singleElement()
                .satisfies(c -> assertThat(text(c)).contains("handed to senior advisor Qian Er"));
    }

    @Test
    void withoutASeniorAdvisorInThePoolTheAdvisorGetsTheTaskAndTheTimelineSaysWhy() {
        churning(harness(ExampleConfig.replacing(ExampleConfig.TEXT, LISI, LISI.replace("    roles: [senior_advisor]\n", ""))));

        h.advance(Duration.ofHours(1));

        assertThat(h.deskTasks("c1")).singleElement()
                .satisfies(d -> assertThat(d.staffUserId()).isEqualTo("zhangsan"));
        assertThat(h.calls("externalcontact/add_msg_template")).isEmpty();
        assertThat(h.calls("message/send")).extracting(SeniorAdvisorTest::to, SeniorAdvisorTest::text)
                .containsExactly(tuple("zhangsan", "[senior advisor] Task churn_follow_up for Customer c1: a message is"
                        + " waiting on your desk in the chat sidebar."));
        assertThat(h.events("c1", "senior_advisor_missing")).singleElement().extracting(TimelineEvent::details)
                .satisfies(d -> assertThat(d).containsEntry("task", "churn_follow_up").containsEntry("reason",
                        "no senior advisor in pool sales_team_east; the task went to the customer's advisor"));
    }

    @Test
    void aLostNotificationAnswerSendsNeitherNoticeTwice() {
        // GIVEN the senior advisor's notice reaches WeCom but its answer is lost (the step fails and is redelivered)
        churning(new JourneyHarness(Instant.parse("2024-03-01T02:00:00Z")));
        h.recording.loseNotifyAnswers(1);

        h.advance(Duration.ofHours(1));

        // THEN one desk task, one notice each, and the run completed
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.calls("message/send")).extracting(SeniorAdvisorTest::to).containsExactlyInAnyOrder("lisi", "zhangsan");
        assertThat(h.events("c1", "staff_task_created")).hasSize(1);
        assertThat(h.runs("c1", JOURNEY)).extracting(r -> r.status().name()).containsExactly("COMPLETED");
    }
}
