package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.TimerSweep;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A staff task's desk message and notification are made at most once: a lost answer (-1, WeCom may have acted)
 * keeps the notices' dedup claims, and the redelivered step finds the desk task it made.
 */
class StaffTaskOnceTest {
    static final String JOURNEY = "churn_early_warning";

    private static DueStep churnStep(JourneyHarness h) {
        h.customer("c1", h.now());
        h.update("c1", p -> p.withActivity(p.activity().interacted(h.local(2024, 3, 6, 10, 0), true), h.now()));
        h.runUntil(h.local(2024, 3, 10, 10, 0));
        h.update("c1", p -> p.withActivity(p.activity().withChurnScore(0.8), h.now()));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);
        List<DueStep> steps = h.takeVisibleSteps();
        assertThat(steps).hasSize(1);
        return steps.get(0);
    }

    private static void failThenRetry(JourneyHarness h, DueStep step) {
        assertThatThrownBy(() -> h.engine.steps.run(step)).isInstanceOf(WeComApiException.class);
        h.clock.set(h.now().plus(StepRunner.LEASE).plusSeconds(1));
        assertThat(h.engine.steps.run(step)).isEqualTo(StepRunner.Outcome.DONE);
    }

    @Test
    void aNotificationWhoseAnswerWasLostIsNotSentAgainByTheRedelivery() {
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-03-01T02:00:00Z"),
                TimerSweep.Settings.defaults(), ExactlyOnceStepTest.firstCall("notifyStaff", true,
                        () -> new WeComApiException(-1, "read timed out", null)));
        failThenRetry(h, churnStep(h));

        // one notice each: the senior advisor's task and the advisor's "handed to" (SeniorAdvisorTest)
        assertThat(h.calls("message/send")).extracting(c -> c.body().path("touser").asText())
                .containsExactlyInAnyOrder("lisi", "zhangsan");
        // and one message on the advisor's desk (the redelivery found the task it made), no add_msg_template draft
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.events("c1", "staff_task_created")).hasSize(1);
        assertThat(h.calls("externalcontact/add_msg_template")).isEmpty();
    }
}
