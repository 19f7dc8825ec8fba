package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.StepBusy;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.TimerSweep;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery: SQS may hand the same step over again, or to several workers at once, and a
 * failing WeCom call must be retried without a second effect.
 */
class RedeliveryTest {
    static final String JOURNEY = "new_customer_activation";
    static final String TEMPLATE = "externalcontact/add_msg_template";
    static final Instant MONDAY_10 = Instant.parse("2024-03-04T02:00:00Z");

    @Test
    void theSameStepDeliveredFiveTimesInARowActsOnce() {
        // GIVEN a customer's first step, taken off the queue
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        h.added("c1");
        DueStep first = single(h.takeVisibleSteps());

        // WHEN it is delivered five times in a row
        List<StepRunner.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(h.engine.steps.run(first));
        }

        // THEN one delivery acted and the others saw the run had moved on
        assertThat(outcomes).containsExactly(StepRunner.Outcome.DONE, StepRunner.Outcome.DUPLICATE,
                StepRunner.Outcome.DUPLICATE, StepRunner.Outcome.DUPLICATE, StepRunner.Outcome.DUPLICATE);
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.events("c1", "desk_task_created")).hasSize(1);
        assertThat(h.decisions.counts(h.tenant, LocalDate.of(2024, 3, 4), LocalDate.of(2024, 3, 4)))
                .isEqualTo(Map.of("ALLOW", 1L));
        // AND the next step was scheduled once
        assertThat(h.timers.placed).singleElement().satisfies(t -> assertThat(t.step().step()).isEqualTo(1));
        assertThat(h.onlyRun("c1", JOURNEY).step()).isEqualTo(1);
    }

    @Test
    void fiveWorkersHandedTheSameStepAtOnceProduceOneEffect() throws Exception {
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (int round = 0; round < 10; round++) {
                // GIVEN a customer's first step
                String id = "c" + round;
                h.clock.set(h.now().plusSeconds(1));
                h.added(id);
                DueStep first = single(h.takeVisibleSteps());

                // WHEN five workers run it at the same moment
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> futures = new ArrayList<>();
                for (int w = 0; w < 5; w++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        try {
                            return h.engine.steps.run(first).name();
                        } catch (StepBusy busy) {
                            // The queue hands it over again later, when the run has moved on.
                            return "BUSY";
                        }
                    }));
                }
                go.countDown();
                List<String> outcomes = new ArrayList<>();
                for (Future<String> f : futures) {
                    outcomes.add(f.get(10, TimeUnit.SECONDS));
                }

                // THEN exactly one acted: one WeCom call, one timeline decision, one next step; the others saw
                // the step leased (and throw, to come back) or the run moved on
                assertThat(Collections.frequency(outcomes, "DONE")).as(id).isEqualTo(1);
                assertThat(outcomes).as(id).isSubsetOf("DONE", "BUSY", "DUPLICATE");
                assertThat(h.engine.steps.run(first)).as(id).isEqualTo(StepRunner.Outcome.DUPLICATE);
                assertThat(h.touchesFor(id)).as(id).hasSize(1);
                assertThat(h.events(id, "desk_task_created")).as(id).hasSize(1);
                assertThat(h.timers.placed).as(id).filteredOn(t -> t.step().customerId().equals(id)).hasSize(1);
                assertThat(h.onlyRun(id, JOURNEY).step()).as(id).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWeComFailureGivesTheStepBackAndARedeliveryPerformsItOnce() {
        // GIVEN WeCom fails the first notice of a desk message to its staff member
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                w -> JourneyHarness.failingOnce(w, "notifyStaff"));
        h.added("c1");
        DueStep first = single(h.takeVisibleSteps());

        // WHEN the worker runs the step
        // THEN it throws, so the queue redelivers it
        assertThatThrownBy(() -> h.engine.steps.run(first)).isInstanceOf(WeComApiException.class);
        // AND the run is back at the same step, with nothing sent or on the timeline
        JourneyRun run = h.onlyRun("c1", JOURNEY);
        assertThat(run.step()).isZero();
        assertThat(run.status()).isEqualTo(JourneyRun.Status.ACTIVE);
        assertThat(h.calls()).isEmpty();
        assertThat(h.events("c1", "desk_task_created")).isEmpty();
        assertThat(h.timers.placed).isEmpty();

        // WHEN the step is redelivered, twice
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DUPLICATE);

        // THEN it was performed once: one task on the desk; the notice's outcome was unknown (a reset), so it is not
        // sent again (at most once, StaffTaskOnceTest) and the task waits in the sidebar all the same
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.calls("message/send")).isEmpty();
        assertThat(h.events("c1", "desk_task_created")).hasSize(1);
        assertThat(h.onlyRun("c1", JOURNEY).step()).isEqualTo(1);
    }

    @Test
    void onTheQueueAFailedStepComesBack30SecondsLaterAndTheJourneyCarriesOn() {
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                w -> JourneyHarness.failingOnce(w, "notifyStaff"));
        h.group("wrPerks01", "Welcome Perks Group", "lisi");
        h.added("c1");

        h.runUntil(h.local(2024, 3, 12, 0, 0));

        assertThat(h.deliveries).first().satisfies(d -> assertThat(d.failure()).isInstanceOf(WeComApiException.class));
        assertThat(h.deliveries.get(1).outcome()).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(h.deliveries.get(1).at()).isEqualTo(MONDAY_10.plusSeconds(30));
        assertThat(h.touchesFor("c1")).hasSize(6);
        assertThat(h.events("c1", "desk_task_created").get(0).at()).isEqualTo(MONDAY_10.plusSeconds(30));
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
        assertThat(h.dlq).isEmpty();
    }

    @Test
    void aFailedMomentsTaskIsPublishedOnRedelivery() {
        // GIVEN WeCom fails the first add_moment_task, and a customer silent for 30 days
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-01-01T02:00:00Z"),
                TimerSweep.Settings.defaults(), w -> JourneyHarness.failingOnce(w, "addMomentTask"));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 1, 31, 10, 0));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);

        // WHEN the step fails once and comes back 30 s later
        h.runUntil(h.local(2024, 1, 31, 11, 0));

        // THEN the post was published on the redelivery
        assertThat(h.deliveries).first().satisfies(d -> assertThat(d.failure()).isNotNull());
        assertThat(h.calls("externalcontact/add_moment_task")).hasSize(1);
    }

    @Test
    void aFailedStaffNotificationDoesNotDuplicateTheDeskTask() {
        // GIVEN WeCom refuses the first message/send (a refusal: it certainly sent nothing; an unknown outcome
        // is not sent again at all, see StaffTaskOnceTest), and an at-risk customer
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-03-10T02:00:00Z"),
                TimerSweep.Settings.defaults(), ExactlyOnceStepTest.firstCall("notifyStaff", false,
                        () -> new dev.siyu.core.port.WeComApiException(45009, "api freq out of limit", null)));
        h.customer("c1", h.now());
        h.update("c1", p -> p.withActivity(p.activity().withChurnScore(0.9), h.now()));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);

        // WHEN the task step fails on the notification and is redelivered
        h.runUntil(h.local(2024, 3, 10, 11, 0));

        // THEN the staff member has one desk task and one notification
        assertThat(h.deskTasks("c1")).hasSize(1);
        // one notice each: the senior advisor's task and the advisor's "handed to" (SeniorAdvisorTest)
        assertThat(h.calls("message/send")).extracting(c -> c.body().path("touser").asText())
                .containsExactlyInAnyOrder("lisi", "zhangsan");
    }

    private static DueStep single(List<DueStep> steps) {
        assertThat(steps).hasSize(1);
        return steps.get(0);
    }
}
