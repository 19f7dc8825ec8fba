package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.outreach.MassSend;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.timer.TimerSweep;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A mass send's touch records are intents before its WeCom call and settled after it (issue 10). */
class MassSendIntentTest {
    static final Instant MONDAY_10 = Instant.parse("2024-03-04T02:00:00Z");

    private final dev.siyu.memory.MemoryTenantLog log = new dev.siyu.memory.MemoryTenantLog();

    private MassSend massSend(JourneyHarness h) {
        return new MassSend(h.engine.outreach, CustomerSnapshots.of(h.customers, h.runs, h.counters), h.customers,
                h.wecom, log, h.zone);
    }

    @Test
    void aCampaignEveryRunOfWhichFailedIsLeftNotedAndFinishedLaterWithoutAskingNewCustomers() {
        // GIVEN WeCom never got the campaign's task (a 5xx) and the campaign's retries are over
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                ExactlyOnceStepTest.firstCall("addMsgTemplate", false,
                        () -> new WeComApiException(-1, "502 Bad Gateway", null)));
        h.customer("c1", h.now());
        assertThatThrownBy(() -> massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(log.repairs(h.tenant, 10)).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(dev.siyu.core.callback.Repairs.MASS_SEND);
            assertThat(r.key()).isEqualTo("spring");
            assertThat(r.details()).containsEntry(MassSend.NOTE_TEXT, "Spring sale");
        });
        h.customer("c2", h.now());

        // WHEN the campaign is finished an hour later (the reconciler's hourly run)
        MassSend.Result done = massSend(h).finish(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL,
                h.now().plus(java.time.Duration.ofHours(1)));

        // THEN WeCom had no task, so c1's is sent now, once; c2, who came later, is not asked
        assertThat(done.left()).isZero();
        assertThat(done.asked()).isZero();
        assertThat(h.recording.templates()).singleElement()
                .satisfies(t -> assertThat(t.externalUserIds()).containsExactly(h.customers.get(h.tenant, "c1").externalUserId()));
        assertThat(h.counters.touches(h.tenant, "c1")).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT));
        assertThat(h.counters.touches(h.tenant, "c2")).isEmpty();
    }

    @Test
    void aSentCampaignLeavesItsRecordsSentWithWeComsMsgid() {
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        h.customer("c1", h.now());

        massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now());

        assertThat(h.counters.touches(h.tenant, "c1")).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("mass#spring");
            assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT);
            assertThat(t.outcome()).startsWith("msg");
        });
    }

    @Test
    void aCampaignWhoseAnswerWasLostKeepsItsIntentWhichHoldsTheMonthlySlot() {
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                ExactlyOnceStepTest.firstCall("addMsgTemplate", true,
                        () -> new WeComApiException(-1, "read timed out", null)));
        h.customer("c1", h.now());

        assertThatThrownBy(() -> massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now()))
                .isInstanceOf(IllegalStateException.class);

        // WeCom may have the task: the customer's record says so, and counts against this month's mass cap
        assertThat(h.counters.touches(h.tenant, "c1")).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TouchRecord.Status.SENDING));
        assertThat(h.counters.read(h.tenant, "c1", h.now(), h.zone).massMessagesThisMonth()).isEqualTo(1);
    }

    @Test
    void aCampaignWeComRefusedFreesItsSlots() {
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                ExactlyOnceStepTest.firstCall("addMsgTemplate", false,
                        () -> new WeComApiException(60020, "not allow to access from your ip", null)));
        h.customer("c1", h.now());

        assertThatThrownBy(() -> massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now()))
                .isInstanceOf(IllegalStateException.class);

        assertThat(h.counters.touches(h.tenant, "c1")).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TouchRecord.Status.CANCELLED));
        assertThat(h.counters.read(h.tenant, "c1", h.now(), h.zone).massMessagesThisMonth()).isZero();
    }

    @Test
    void aCampaignRunAgainAfterItsAnswerWasLostFindsTheTaskInWeComAndDoesNotSendAgain() {
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                ExactlyOnceStepTest.firstCall("addMsgTemplate", true,
                        () -> new WeComApiException(-1, "read timed out", null)));
        h.customer("c1", h.now());
        assertThatThrownBy(() -> massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now()))
                .isInstanceOf(IllegalStateException.class);

        // the operator (or the scheduler) runs the campaign again two minutes later
        massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now().plusSeconds(120));

        assertThat(h.recording.templates()).as("add_msg_template tasks WeCom got").hasSize(1);
        assertThat(h.counters.touches(h.tenant, "c1")).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT));
        assertThat(h.customers.timeline(h.tenant, "c1")).filteredOn(e -> e.kind().equals("mass_message_sent"))
                .hasSize(1);
    }

    @Test
    void aCampaignRunAgainAfterItWentOutChangesNothing() {
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        h.customer("c1", h.now());
        massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now());

        massSend(h).send(h.tenant, "spring", "Spring sale", ContentClass.PROMOTIONAL, h.now().plusSeconds(120));

        assertThat(h.recording.templates()).hasSize(1);
        assertThat(h.counters.touches(h.tenant, "c1")).hasSize(1);
        assertThat(h.customers.timeline(h.tenant, "c1")).filteredOn(e -> e.kind().equals("mass_message_sent"))
                .hasSize(1);
    }
}
