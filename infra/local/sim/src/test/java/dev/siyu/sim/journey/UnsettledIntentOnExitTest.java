package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.timer.TimerSweep;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A step whose send's answer was lost, redelivered after its run's exit condition came to hold: the intent is
 * settled before the run exits, so a message that went out is recorded and one that did not frees its cap slot.
 */
class UnsettledIntentOnExitTest {
    static final String JOURNEY = "dormant_reactivation";

    private static JourneyHarness dormant(String failing) {
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-01-01T02:00:00Z"),
                TimerSweep.Settings.defaults(), ExactlyOnceStepTest.firstCall(failing, true,
                        () -> new WeComApiException(-1, "read timed out", null)));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 1, 31, 10, 0));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);
        return h;
    }

    private static void repliesThenRedelivered(JourneyHarness h) {
        h.clock.set(h.now().plusSeconds(1));
        h.update("c1", p -> p.withActivity(p.activity().interacted(h.now(), true), h.now()));
        h.runUntil(h.now().plus(Duration.ofHours(1)));
    }

    @Test
    void aCouponThatWentOutIsRecordedWhenTheRunExits() {
        JourneyHarness h = dormant("addMsgTemplate");
        // GIVEN the Moments step ran, and WeCom accepted the day-45 coupon but its answer was lost
        h.runUntil(h.local(2024, 2, 15, 10, 0));
        assertThat(h.calls("externalcontact/add_msg_template")).hasSize(1);

        // WHEN the customer replies before the step comes back, so the run exits
        repliesThenRedelivered(h);

        // THEN the coupon the customer got is on the timeline and its touch is settled, and it went out once
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.EXITED);
        assertThat(h.calls("externalcontact/add_msg_template")).hasSize(1);
        assertThat(h.events("c1", "coupon_issued")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsKey("reconciled"));
        assertThat(h.counters.touches(h.tenant, "c1")).noneMatch(t -> t.status() == TouchRecord.Status.SENDING);
    }

    @Test
    void aMomentsTouchNeverShownIsCancelledWhenTheRunExitsFreeingItsSlot() {
        JourneyHarness h = dormant("addMomentTask");
        // GIVEN the day's post's answer was lost (the customer was never tagged)
        h.settle();
        assertThat(h.calls("externalcontact/add_moment_task")).hasSize(1);

        // WHEN the customer replies before the step comes back
        repliesThenRedelivered(h);

        // THEN the run exits, the customer's touch holds no cap slot, and no tag shows them the post
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.EXITED);
        assertThat(h.counters.touches(h.tenant, "c1")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(TouchRecord.Status.CANCELLED));
        assertThat(h.calls("externalcontact/mark_tag")).isEmpty();
    }
}
