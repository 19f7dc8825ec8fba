package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.Timer;
import dev.siyu.memory.CallLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * repurchase_reminder: a purchase starts a countdown on the category's consumption cycle (skincare 30d,
 * cosmetics 45d): survey at cycle-7d, returning-customer offer at cycle-3d, staff restock task at cycle.
 * restart: true, so a new purchase supersedes the running countdown.
 */
class RepurchaseReminderTest {
    static final String JOURNEY = "repurchase_reminder";
    static final String TEMPLATE = "externalcontact/add_msg_template";

    JourneyHarness h;

    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-02-01T02:00:00Z"));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 3, 5, 10, 0)); // a Tuesday
    }

    @Test
    void aSkincarePurchaseSchedulesTheStepsAtCycleMinus7dMinus3dAndTheCycle() {
        // GIVEN a consenting customer
        // WHEN they buy skincare (30-day cycle) on 2024-03-05 10:00
        h.members.purchase("c1", 268.0, "skincare", h.now());
        h.settle();

        // THEN a run anchored at the purchase with the skincare cycle waits for its first step
        JourneyRun run = h.onlyRun("c1", JOURNEY);
        assertThat(run.anchor()).isEqualTo(h.local(2024, 3, 5, 10, 0));
        assertThat(run.cycle()).isEqualTo(Duration.ofDays(30));
        assertThat(h.timers.waiting()).extracting(t -> t.step().step(), t -> h.localOf(t.minute()).toString())
                .containsExactly(tuple(0, "2024-03-28T10:00"));

        // WHEN the cycle passes
        h.runUntil(h.local(2024, 4, 10, 0, 0));

        // THEN survey, offer and restock task went out 23, 27 and 30 days after the purchase
        List<JourneyHarness.Touched> calls = h.touchesFor("c1");
        assertThat(calls).extracting(c -> h.localOf(c.at()).toString()).containsExactly(
                "2024-03-28T10:00", "2024-04-01T10:00", "2024-04-04T10:00");
        assertThat(calls.get(0).url())
                .isEqualTo("https://survey.example.com/effectiveness");
        assertThat(calls.get(1).url())
                .isEqualTo("pages/repurchase/index");
        assertThat(calls.get(2).text())
                .startsWith("Hi! By now you're probably close to the end of your last order.");
        assertThat(h.calls("message/send")).filteredOn(c -> c.body().path("text").path("content").asText()
                .contains("Task ")).singleElement().satisfies(c -> {
            assertThat(c.body().path("text").path("content").asText()).contains("restock_reminder");
            assertThat(h.localOf(c.at())).hasToString("2024-04-04T10:00");
        });
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind).containsExactly(
                "journey_started", "desk_task_created", "desk_task_created", "staff_task_created", "journey_completed");
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }

    @Test
    void aSecondPurchaseSupersedesTheCountdownAndStartsOneOnTheNewCycle() {
        // GIVEN a skincare countdown started on 2024-03-05
        h.members.purchase("c1", 268.0, "skincare", h.now());
        h.settle();
        String first = h.onlyRun("c1", JOURNEY).runId();

        // WHEN the customer buys cosmetics (45-day cycle) ten days later
        h.runUntil(h.local(2024, 3, 15, 10, 0));
        h.members.purchase("c1", 120.0, "cosmetics", h.now());
        h.runUntil(h.local(2024, 5, 5, 0, 0));

        // THEN the first run ended as superseded at the second purchase, having reached its goal then
        List<JourneyRun> runs = h.runs("c1", JOURNEY).stream()
                .sorted(Comparator.comparing(JourneyRun::startedAt)).toList();
        assertThat(runs).hasSize(2);
        JourneyRun old = runs.get(0);
        assertThat(old.runId()).isEqualTo(first);
        assertThat(old.status()).isEqualTo(JourneyRun.Status.EXITED);
        assertThat(old.endReason()).isEqualTo("superseded");
        assertThat(old.endedAt()).isEqualTo(h.local(2024, 3, 15, 10, 0));
        assertThat(old.goalReachedAt()).isEqualTo(h.local(2024, 3, 15, 10, 0));
        assertThat(h.events("c1", "journey_goal_reached")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("run", first).containsEntry("goal", "purchase"));

        // AND the old run's first step, still waiting as a timer, had no effect when it came due
        assertThat(h.deliveries).filteredOn(d -> d.step().runId().equals(first))
                .extracting(d -> h.localOf(d.at()).toString(), JourneyHarness.Delivery::outcome)
                .containsExactly(tuple("2024-03-28T10:00", StepRunner.Outcome.DUPLICATE));

        // AND the new run counts 38, 42 and 45 days from the cosmetics purchase
        JourneyRun current = runs.get(1);
        assertThat(current.cycle()).isEqualTo(Duration.ofDays(45));
        assertThat(current.status()).isEqualTo(JourneyRun.Status.COMPLETED);
        assertThat(h.touchesFor("c1")).extracting(c -> h.localOf(c.at()).toString()).containsExactly(
                "2024-04-22T10:00", "2024-04-26T10:00", "2024-04-29T10:00");
        assertThat(h.events("c1", "journey_started")).extracting(e -> e.details().get("run"))
                .containsExactly(first, current.runId());
    }

    @Test
    void aTimerOfTheSupersededRunStaysHarmlessEvenWhenDeliveredTwice() {
        // GIVEN a superseded countdown whose first step still waits as a timer
        h.members.purchase("c1", 268.0, "skincare", h.now());
        h.settle();
        Timer stale = h.timers.waiting().get(0);
        h.clock.set(h.local(2024, 3, 6, 10, 0));
        h.members.purchase("c1", 80.0, "skincare", h.now());
        h.settle();

        // WHEN the stale step is handed to the worker twice
        StepRunner.Outcome a = h.deliver(stale.step());
        StepRunner.Outcome b = h.deliver(stale.step());

        // THEN neither acts
        assertThat(List.of(a, b)).containsOnly(StepRunner.Outcome.DUPLICATE);
        assertThat(h.touchesFor("c1")).isEmpty();
    }

    @Test
    void theTimelineRecordsWhyTheOldRunEnded() {
        // GIVEN a running countdown
        h.members.purchase("c1", 268.0, "skincare", h.now());
        h.settle();
        String first = h.onlyRun("c1", JOURNEY).runId();

        // WHEN a second purchase supersedes it
        h.clock.set(h.local(2024, 3, 15, 10, 0));
        h.members.purchase("c1", 120.0, "cosmetics", h.now());
        h.settle();

        // THEN the timeline says the old run ended, and why
        assertThat(h.events("c1", "journey_exited")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("journey", JOURNEY).containsEntry("run", first).containsEntry("reason", "superseded"));
    }
}
