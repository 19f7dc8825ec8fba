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

/** The tag that shows a customer the day's Moments post is marked only once the post is out. */
class MomentsTagOrderTest {
    @Test
    void aPostWeComRefusedLeavesNoTagInWeComAndTheRetryTagsAfterPosting() {
        // GIVEN WeCom refuses the day's first Moments post (45009), and a customer silent for 30 days
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-01-01T02:00:00Z"),
                TimerSweep.Settings.defaults(), ExactlyOnceStepTest.firstCall("addMomentTask", false,
                        () -> new WeComApiException(45009, "api freq out of limit", null)));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 1, 31, 10, 0));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);
        List<DueStep> steps = h.takeVisibleSteps();
        assertThat(steps).hasSize(1);

        // WHEN the step fails on it
        assertThatThrownBy(() -> h.engine.steps.run(steps.get(0))).isInstanceOf(WeComApiException.class);

        // THEN the customer carries no tag in WeCom the profile does not know of
        assertThat(h.calls("externalcontact/mark_tag")).isEmpty();
        assertThat(h.profile("c1").tags()).doesNotContain("dormant_customer");

        // AND the retry posts, then tags
        h.clock.set(h.now().plus(StepRunner.LEASE).plusSeconds(1));
        assertThat(h.engine.steps.run(steps.get(0))).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(h.calls("externalcontact/add_moment_task")).hasSize(1);
        assertThat(h.calls("externalcontact/mark_tag")).hasSize(1);
        assertThat(h.calls("externalcontact/mark_tag").get(0).at())
                .isAfterOrEqualTo(h.calls("externalcontact/add_moment_task").get(0).at());
        assertThat(h.profile("c1").tags()).contains("dormant_customer");
    }
}
