package dev.siyu.core.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.memory.RecordingWeComApi;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lookup of a send whose answer was lost: narrow, bounded, and never a reason to send twice. */
class SendReconcilerTest {
    static final Instant INTENT = Instant.parse("2024-03-04T02:00:00Z");

    private final Moving clock = new Moving(INTENT);
    private final RecordingWeComApi wecom = new RecordingWeComApi(clock);
    private final AtomicInteger resultCalls = new AtomicInteger();
    private final SendReconciler reconciler = new SendReconciler(counting(wecom));
    private final MsgTemplate ours = MsgTemplate.single("zhangsan", List.of("wm1"), "hi", null);

    @Test
    void aSendMadeUnderTheIntentAfterItsFirstLeaseIsFound_notSentAThirdTime() {
        // GIVEN the step's first delivery never reached WeCom, and a later delivery, 12 minutes on, sent under the
        // same intent and lost WeCom's answer
        clock.at = INTENT.plus(Duration.ofMinutes(12));
        wecom.addMsgTemplate(ours);

        // THEN the next delivery finds that task: the window runs to now, not to the first lease's end
        clock.at = INTENT.plus(Duration.ofMinutes(15));
        assertThat(reconciler.message(ours, INTENT, clock.at).kind()).isEqualTo(SendReconciler.Lookup.Kind.FOUND);
    }

    @Test
    void aTaskOfAnotherSenderOrToAnotherCustomerIsNotOurs() {
        clock.at = INTENT.plusSeconds(1);
        wecom.addMsgTemplate(MsgTemplate.single("lisi", List.of("wm1"), "hi", null));
        wecom.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm2"), "hi", null));

        assertThat(reconciler.message(ours, INTENT, INTENT.plusSeconds(200)).kind())
                .isEqualTo(SendReconciler.Lookup.Kind.ABSENT);
        String msgid = wecom.addMsgTemplate(ours);
        assertThat(reconciler.message(ours, INTENT, INTENT.plusSeconds(200)))
                .isEqualTo(new SendReconciler.Lookup(SendReconciler.Lookup.Kind.FOUND, msgid));
    }

    @Test
    void manyTasksOfTheSameTextStopTheLookupAtItsBudgetAsUnknown() {
        // GIVEN the sender sent the same text to 30 other customers within the minutes the intent was held
        for (int i = 0; i < 30; i++) {
            clock.at = INTENT.plusSeconds(i);
            wecom.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("other" + i), "hi", null));
        }

        // THEN the lookup opens at most its budget of tasks and answers unknown: no resend, no DLQ
        assertThat(reconciler.message(ours, INTENT, INTENT.plusSeconds(200)).kind())
                .isEqualTo(SendReconciler.Lookup.Kind.UNKNOWN);
        assertThat(resultCalls.get()).isEqualTo(SendReconciler.MAX_RESULTS);
    }

    @Test
    void anIntentOlderThanWeComsListsIsUnknownNotAbsent() {
        assertThat(reconciler.message(ours, INTENT, INTENT.plus(Duration.ofDays(30))).kind())
                .isEqualTo(SendReconciler.Lookup.Kind.UNKNOWN);
        assertThat(reconciler.moment("hi", INTENT, INTENT.plus(Duration.ofDays(30))).kind())
                .isEqualTo(SendReconciler.Lookup.Kind.UNKNOWN);
    }

    private WeComApi counting(WeComApi d) {
        return (WeComApi) Proxy.newProxyInstance(WeComApi.class.getClassLoader(), new Class<?>[] {WeComApi.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("groupMsgSendResult")) {
                        resultCalls.incrementAndGet();
                    }
                    try {
                        return m.invoke(d, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static final class Moving extends Clock {
        Instant at;

        Moving(Instant at) {
            this.at = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return at;
        }
    }
}
