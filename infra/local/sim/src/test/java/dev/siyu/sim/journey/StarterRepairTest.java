package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.StepBusy;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the starter must not leave stuck or drop: a lost step-0 hand-off, a restart during a leased step. */
class StarterRepairTest {
    @Test
    void aConditionRunWhoseFirstStepWasNeverScheduledIsRepairedEvenOnceItsConditionNoLongerHolds() {
        // GIVEN a dormancy run written on day 30 whose starter died before scheduling step 0
        JourneyHarness h = new JourneyHarness(Instant.parse("2024-01-01T02:00:00Z"));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 1, 31, 10, 0));
        JourneyRun lost = JourneyRun.start(h.tenant, "c1", "dormant_reactivation", "cond-lost", 1,
                h.local(2024, 1, 1, 10, 0), null, h.now()).steppedTo(0, h.now());
        assertThat(h.runs.start(lost, 0, java.util.List.of())).isTrue();

        // WHEN the customer comes back the next day (the dormancy condition is false now) and the daily check runs
        h.clock.set(h.local(2024, 2, 1, 10, 0));
        h.members.reply("c1", h.now());
        h.settle();
        h.engine.starter.check(h.profile("c1"), h.now());
        h.runUntil(h.now().plus(Duration.ofHours(1)));

        // THEN the stuck run got its step 0 back and ended (its exit condition holds), so it blocks nothing
        assertThat(h.onlyRun("c1", "dormant_reactivation").active()).isFalse();

        // AND the customer's next dormancy, 30 days later, starts a new run
        h.clock.set(h.local(2024, 3, 3, 10, 0));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).extracting(JourneyRun::journey)
                .contains("dormant_reactivation");
    }

    @Test
    void aRestartTriggerWhileTheOldRunsStepIsLeasedIsRetriedNotDropped() {
        JourneyHarness h = new JourneyHarness(Instant.parse("2024-02-01T02:00:00Z"));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 3, 5, 10, 0));
        h.members.purchase("c1", 268.0, "skincare", h.now());
        h.settle();
        JourneyRun old = h.onlyRun("c1", "repurchase_reminder");
        // GIVEN a delivery holds the old run's step 0
        assertThat(h.runs.lease(h.tenant, "c1", old.journey(), old.runId(), 0, "someone", h.now(),
                h.now().plus(StepRunner.LEASE))).isTrue();

        // WHEN a second purchase's trigger arrives
        h.clock.set(h.now().plusSeconds(5));
        JourneyTrigger again = new JourneyTrigger(h.tenant, "c1", "purchase", h.now(),
                Map.of("amount", "99.00", "category", "skincare"));

        // THEN it fails, for the queue to bring it back, and once the lease lapses it restarts the journey
        assertThatThrownBy(() -> h.engine.starter.onEvent(again)).isInstanceOf(StepBusy.class);
        h.clock.set(h.now().plus(StepRunner.LEASE));
        assertThat(h.engine.starter.onEvent(again)).extracting(JourneyRun::journey).contains("repurchase_reminder");
        assertThat(h.runs("c1", "repurchase_reminder")).filteredOn(JourneyRun::active).hasSize(1)
                .noneMatch(r -> r.runId().equals(old.runId()));
    }
}
