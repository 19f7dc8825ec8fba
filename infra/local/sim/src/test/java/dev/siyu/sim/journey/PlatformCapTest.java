package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.TimerSweep;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WeCom's own monthly limit (errcode 41048) is not a failure to retry: the step waits for next month's
 * first opening, recorded as a PLATFORM_CAP deferral, instead of going round the queue into the DLQ.
 */
class PlatformCapTest {
    static final Instant MONDAY_10 = Instant.parse("2024-03-04T02:00:00Z");

    static WeComApi refusingTemplates(WeComApi delegate) {
        return (WeComApi) Proxy.newProxyInstance(WeComApi.class.getClassLoader(), new Class<?>[] {WeComApi.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("touching")) {
                        return proxy;
                    }
                    if (m.getName().equals("addMsgTemplate")) {
                        throw new WeComApiException(WeComApiException.MONTHLY_SEND_CAP, "reach max limit", null);
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aStepWeComRefusesForTheMonthWaitsForNextMonthInsteadOfFailing() {
        // GIVEN WeCom answers 41048 to every message task this month
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                PlatformCapTest::refusingTemplates);
        h.group("wrPerks01", "Welcome Perks Group", "lisi");
        h.added("c1");

        // WHEN the activation reaches its 24h perks-group invite, an add_msg_template task
        h.runUntil(h.local(2024, 3, 5, 12, 0));

        // THEN nothing throws: the step is deferred to April 1st's opening (09:00 local, spread), and stays at step 2
        List<TimelineEvent> deferred = h.events("c1", "outreach_deferred");
        assertThat(deferred).hasSize(1);
        assertThat(deferred.get(0).details()).containsEntry("rule", "PLATFORM_CAP").containsEntry("step", "2")
                .containsEntry("until", h.opening(dev.siyu.core.gate.Touch.groupInvite("c1", JourneyHarness.STAFF,
                        "wrPerks01"), 2024, 4, 1, 9, 0).toString());
        assertThat(h.events("c1", "group_invite_sent")).isEmpty();
        JourneyRun run = h.onlyRun("c1", "new_customer_activation");
        assertThat(run.step()).isEqualTo(2);
        assertThat(run.status()).isEqualTo(JourneyRun.Status.ACTIVE);
        assertThat(h.dlq).isEmpty();
    }
}
