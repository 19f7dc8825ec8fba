package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerSweep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where steps wait (docs/architecture.md, Timers): within 15 minutes on the step queue's DelaySeconds, beyond it
 * as a timer in the minute bucket of its due time, handed to the queue by the per-minute sweep.
 */
class TimerPlacementTest {
    static final ScrmConfig PROBE = ExampleConfig.load(ExampleConfig.replacing(ExampleConfig.withJourneys("""
            lifecycle_automation:
              timer_probe:
                trigger: {event: contact_added}
                steps:
                  - delay: 0min
                    action: {type: message, content: value, text: "step 0"}
                  - delay: 10min
                    action: {type: message, content: value, text: "step 1"}
                  - delay: 30min
                    action: {type: message, content: value, text: "step 2"}
                  - delay: 3h
                    action: {type: message, content: value, text: "step 3"}
            """), "journey_messages_per_week: 3", "journey_messages_per_week: 10"), "timer-probe.yaml");

    static final ScrmConfig LATE = ExampleConfig.load(ExampleConfig.replacing(ExampleConfig.withJourneys("""
            lifecycle_automation:
              late_probe:
                trigger: {event: contact_added}
                steps:
                  - delay: 0min
                    action: {type: message, content: value, text: "hello"}
                  - delay: 20min
                    action: {type: message, content: value, text: "twenty minutes later"}
            """), "journey_messages_per_week: 3", "journey_messages_per_week: 10"), "late-probe.yaml");

    private static List<String> texts(JourneyHarness h, String id) {
        return h.touchesFor(id).stream().map(JourneyHarness.Touched::text).toList();
    }

    @Test
    void stepsDueWithin15MinutesAreQueuedAndLaterOnesWaitAsTimersInTheirMinuteBucket() {
        // GIVEN a customer added at 10:00:20
        JourneyHarness h = new JourneyHarness(PROBE, Instant.parse("2024-03-05T02:00:20Z"));
        h.added("c1");

        // WHEN the first step has run
        h.settle();

        // THEN the 10min step went to the queue, not to a timer
        assertThat(h.timers.placed).isEmpty();
        assertThat(h.queue.nextVisible()).contains(h.local(2024, 3, 5, 10, 10).plusSeconds(20));

        // WHEN it has run
        h.runUntil(h.local(2024, 3, 5, 10, 10).plusSeconds(20));

        // THEN the 30min step (20 min away) waits as a timer in the 10:30 bucket of the run's shard
        assertThat(h.timers.placed).singleElement().satisfies(t -> {
            assertThat(t.minute()).isEqualTo(h.local(2024, 3, 5, 10, 30));
            assertThat(t.shard()).isEqualTo(Timer.shardOf(h.onlyRun("c1", "timer_probe").runId(), 8));
            assertThat(t.step().step()).isEqualTo(2);
            assertThat(t.step().dueAt()).isEqualTo(h.local(2024, 3, 5, 10, 30).plusSeconds(20));
        });

        // WHEN the clock reaches 10:30:19
        h.runUntil(h.local(2024, 3, 5, 10, 30).plusSeconds(19));

        // THEN the sweep has handed it to the queue, but it is not visible before its due second
        assertThat(h.timers.waiting()).isEmpty();
        assertThat(texts(h, "c1")).containsExactly("step 0", "step 1");

        // WHEN its second comes
        h.runUntil(h.local(2024, 3, 5, 10, 31));

        // THEN it ran at 10:30:20 exactly, and the 3h step waits in the 13:00 bucket
        assertThat(h.events("c1", "desk_task_created")).extracting(e -> e.details().get("step"), TimelineEvent::at)
                .containsExactly(
                        tuple("0", h.local(2024, 3, 5, 10, 0).plusSeconds(20)),
                        tuple("1", h.local(2024, 3, 5, 10, 10).plusSeconds(20)),
                        tuple("2", h.local(2024, 3, 5, 10, 30).plusSeconds(20)));
        assertThat(h.timers.waiting()).singleElement().satisfies(t -> {
            assertThat(t.minute()).isEqualTo(h.local(2024, 3, 5, 13, 0));
            assertThat(t.step().step()).isEqualTo(3);
        });
        h.runUntil(h.local(2024, 3, 5, 14, 0));
        assertThat(texts(h, "c1")).containsExactly("step 0", "step 1", "step 2", "step 3");
        assertThat(h.onlyRun("c1", "timer_probe").status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }

    @Test
    void aSweepThreeHoursLateHandsOverEveryTimerItMissedWithinItsCatchUpWindow() {
        // GIVEN a sweep allowed to catch up 4 hours, and customers added at 10:00, 10:20 and 10:40
        JourneyHarness h = new JourneyHarness(LATE, Instant.parse("2024-03-05T02:00:00Z"),
                new TimerSweep.Settings(8, Duration.ofHours(4)), w -> w);
        h.added("a");
        h.settle();
        // WHEN the sweeper goes down right after 10:00 while the queue keeps working
        h.sweeperRunning = false;
        h.runUntil(h.local(2024, 3, 5, 10, 20));
        h.added("b");
        h.runUntil(h.local(2024, 3, 5, 10, 40));
        h.added("c");
        h.runUntil(h.local(2024, 3, 5, 13, 0));
        assertThat(h.timers.waiting()).extracting(t -> h.localOf(t.minute()).toString())
                .containsExactlyInAnyOrder("2024-03-05T10:20", "2024-03-05T10:40", "2024-03-05T11:00");
        assertThat(h.calls()).hasSize(3);

        // AND comes back three hours later
        h.sweeperRunning = true;
        TimerSweep.Result swept = h.sweep.sweep();
        h.settle();

        // THEN that one sweep handed over the three missed timers and the steps ran, late but once
        assertThat(swept.handedOver()).isEqualTo(3);
        assertThat(h.timers.waiting()).isEmpty();
        for (String id : List.of("a", "b", "c")) {
            assertThat(texts(h, id)).as(id).containsExactly("hello", "twenty minutes later");
            assertThat(h.onlyRun(id, "late_probe").status()).isEqualTo(JourneyRun.Status.COMPLETED);
        }
        assertThat(h.events("a", "desk_task_created").get(1).at()).isEqualTo(h.local(2024, 3, 5, 13, 0));
    }

    @Test
    void withTheDefaultSettingsTimersMissedByA3HourOutageAreStillDeliveredEventually() {
        // GIVEN the production sweep settings and customers added at 10:00, 10:20 and 10:40
        JourneyHarness h = new JourneyHarness(LATE, Instant.parse("2024-03-05T02:00:00Z"));
        h.added("a");
        h.settle();
        h.sweeperRunning = false;
        h.runUntil(h.local(2024, 3, 5, 10, 20));
        h.added("b");
        h.runUntil(h.local(2024, 3, 5, 10, 40));
        h.added("c");
        h.runUntil(h.local(2024, 3, 5, 13, 0));

        // WHEN the sweeper comes back at 13:00 and runs every minute for the next hours
        h.sweeperRunning = true;
        h.runUntil(h.local(2024, 3, 5, 18, 0));

        // THEN every missed step was delivered
        assertThat(h.timers.waiting()).isEmpty();
        for (String id : List.of("a", "b", "c")) {
            assertThat(texts(h, id)).as(id).containsExactly("hello", "twenty minutes later");
        }
    }

    @Test
    void twoCustomersAddedInTheSameMillisecondBothGetTheir30MinuteStep() {
        // GIVEN two customers added at the same instant (one livestream, many scans)
        JourneyHarness h = new JourneyHarness(Instant.parse("2024-03-05T02:00:00Z"));
        h.group("wrPerks01", "Welcome Perks Group", "lisi");
        h.added("c1");
        h.added("c2");

        // WHEN an hour passes
        h.runUntil(h.local(2024, 3, 5, 11, 0));

        // THEN both got the welcome and the 30min guide
        assertThat(h.touchesFor("c1")).hasSize(2);
        assertThat(h.touchesFor("c2")).hasSize(2);
    }

    @Test
    void aCustomerBothDormantAndAtRiskGetsBothFlowsAfterA0200Check() {
        // GIVEN a customer silent for 30 days with a churn score of 0.8
        JourneyHarness h = new JourneyHarness(Instant.parse("2024-01-01T02:00:00Z"));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 2, 1, 2, 0));
        h.update("c1", p -> p.withActivity(p.activity().withChurnScore(0.8), h.now()));

        // WHEN the daily rules check them at 02:00
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).extracting(JourneyRun::journey)
                .containsExactlyInAnyOrder("dormant_reactivation", "churn_early_warning");
        h.runUntil(h.local(2024, 2, 1, 12, 0));

        // THEN at 09:00 the Moments post went out and the senior advisor got the task (the advisor was told)
        assertThat(h.calls("externalcontact/add_moment_task")).hasSize(1);
        assertThat(h.calls("message/send")).extracting(c -> c.body().path("touser").asText())
                .containsExactlyInAnyOrder("lisi", "zhangsan");
    }
}
