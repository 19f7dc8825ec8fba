package dev.siyu.memory.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.engine.Ports;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.memory.CallLog;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The injector: each kind where it fits, effects taken or not as the kind says, the same faults for the same seed. */
class FaultsTest {
    static final Instant NOW = Instant.parse("2026-11-02T02:00:00Z");
    static final String TENANT = "t";

    @Test
    void aStoreIsThrottledBeforeOrFailsAfterItsWriteOrItsInstanceDies() {
        Faults faults = new Faults(7, 0.9);
        MemoryCustomerStore raw = new MemoryCustomerStore();
        CustomerStore store = faults.wrap(CustomerStore.class, raw);
        int taken = 0;
        for (int i = 0; i < 400; i++) {
            DedupKey key = new DedupKey("k" + i);
            String kind = attempt(() -> store.claim(TENANT, key, "attempt", NOW, Duration.ofHours(1)));
            boolean written = !raw.claim(TENANT, key, "check", NOW, Duration.ofHours(1));
            if (Faults.STORE_THROTTLE.equals(kind)) {
                assertThat(written).as("a throttled write takes no effect").isFalse();
            } else if (Faults.STORE_ERROR_AFTER_WRITE.equals(kind) || kind == null) {
                assertThat(written).as("an error after the write, or no fault: the claim is taken").isTrue();
            }
            taken += written ? 1 : 0;
        }
        assertThat(faults.counts()).containsOnlyKeys(Faults.STORE_THROTTLE, Faults.STORE_ERROR_AFTER_WRITE, Faults.CRASH);
        assertThat(taken).isBetween(1, 399);
    }

    @Test
    void aReadHasNoEffectToFailAfter() {
        Faults faults = new Faults(3, 0.9);
        CustomerStore store = faults.wrap(CustomerStore.class, new MemoryCustomerStore());
        for (int i = 0; i < 300; i++) {
            attempt(() -> store.profile(TENANT, "c1"));
        }
        assertThat(faults.counts()).containsOnlyKeys(Faults.STORE_THROTTLE, Faults.CRASH);
    }

    @Test
    void aQueueSendIsRefused() {
        Faults faults = new Faults(5, 0.9);
        MemoryQueue raw = new MemoryQueue();
        JourneyQueue queue = faults.wrap(JourneyQueue.class, raw);
        for (int i = 0; i < 200; i++) {
            attempt(() -> {
                queue.enqueue(new JourneyQueue.JourneyTrigger(TENANT, "c1", "purchase", NOW, Map.of()));
                return null;
            });
        }
        assertThat(faults.counts()).containsOnlyKeys(Faults.QUEUE_SEND_FAILED, Faults.CRASH);
    }

    @Test
    void weComAnswersWithItsErrorsAndATimeOutComesAfterTheMessageWentOut() {
        Faults faults = new Faults(11, 0.9);
        RecordingWeComApi recorder = new RecordingWeComApi();
        WeComApi wecom = faults.wrap(WeComApi.class, recorder);
        List<Integer> errcodes = new ArrayList<>();
        int timeouts = 0;
        for (int i = 0; i < 500; i++) {
            String touch = "j#r#" + i;
            recorder.drain();
            try {
                wecom.touching(touch).addMsgTemplate(WeComApi.MsgTemplate.single("amy", List.of("wm" + i), "hi", null));
            } catch (WeComApiException e) {
                errcodes.add(e.errcode());
                List<CallLog.Call> sent = recorder.drain();
                if (e.getCause() instanceof java.net.SocketTimeoutException) {
                    timeouts++;
                    // The answer was lost, not the message: WeCom has it, under this touch id.
                    assertThat(sent).singleElement().satisfies(c -> {
                        assertThat(c.touchId()).isEqualTo(touch);
                        assertThat(c.errcode()).isZero();
                    });
                } else {
                    assertThat(sent).as("a refused call never reached the customer").isEmpty();
                }
            } catch (InstanceCrash e) {
                // before or after the call
            }
        }
        assertThat(errcodes).contains(WeComApiException.RATE_LIMITED, -1);
        assertThat(timeouts).isPositive();
        assertThat(faults.counts()).containsOnlyKeys(Faults.WECOM_RATE_LIMIT, Faults.WECOM_BUSY, Faults.WECOM_5XX,
                Faults.WECOM_TIMEOUT_AFTER_EFFECT, Faults.CRASH);
        assertThat(faults.counts().get(Faults.CRASH)).isLessThan(faults.counts().get(Faults.WECOM_BUSY) * 3);
    }

    @Test
    void theSameSeedGivesTheSameFaultsAndPausingInjectsNone() {
        assertThat(outcomes(new Faults(42, 0.3))).isEqualTo(outcomes(new Faults(42, 0.3)))
                .isNotEqualTo(outcomes(new Faults(43, 0.3)));
        Faults faults = new Faults(1, 0.9);
        CustomerStore store = faults.wrap(CustomerStore.class, new MemoryCustomerStore());
        for (int i = 0; i < 50; i++) {
            assertThat(faults.without(() -> store.profile(TENANT, "c1"))).isEmpty();
        }
        assertThat(faults.counts()).isEmpty();
    }

    @Test
    void everyPortOfTheSetIsWrappedAndNoneWithoutFaults() {
        Ports ports = MemoryPorts.create(new RecordingWeComApi());
        assertThat(Faults.none().wrap(ports)).isSameAs(ports);
        Ports faulty = new Faults(1, 0.5).wrap(ports);
        for (java.lang.reflect.RecordComponent c : Ports.class.getRecordComponents()) {
            Object port = invoke(c, faulty);
            assertThat(java.lang.reflect.Proxy.isProxyClass(port.getClass())).as(c.getName()).isTrue();
        }
    }

    @Test
    void theRecordingApiRecordsTheTouchIdAndWhatItAnswered() {
        RecordingWeComApi wecom = new RecordingWeComApi();
        wecom.failTemplates(1);
        WeComApi touching = wecom.touching("welcome#k1");
        assertThatThrownBy(() -> touching.addMsgTemplate(WeComApi.MsgTemplate.single("amy", List.of("wm1"), "hi", null)))
                .isInstanceOf(WeComApiException.class);
        touching.addMsgTemplate(WeComApi.MsgTemplate.single("amy", List.of("wm1"), "hi", null));
        wecom.notifyStaff(List.of("amy"), "a task");
        assertThat(wecom.drain()).extracting(CallLog.Call::touchId, CallLog.Call::errcode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("welcome#k1", WeComApiException.RATE_LIMITED),
                org.assertj.core.groups.Tuple.tuple("welcome#k1", 0),
                org.assertj.core.groups.Tuple.tuple(null, 0));
    }

    private static List<String> outcomes(Faults faults) {
        CustomerStore store = faults.wrap(CustomerStore.class, new MemoryCustomerStore());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            DedupKey key = new DedupKey("k" + i);
            out.add(String.valueOf(attempt(() -> store.claim(TENANT, key, "attempt", NOW, Duration.ofHours(1)))));
        }
        return out;
    }

    /** The kind of fault the call met (a crash is "crash"), or null when it went through. */
    private static String attempt(java.util.function.Supplier<?> call) {
        try {
            call.get();
            return null;
        } catch (InjectedFault e) {
            return e.kind();
        } catch (InstanceCrash e) {
            return Faults.CRASH;
        }
    }

    private static Object invoke(java.lang.reflect.RecordComponent c, Ports ports) {
        try {
            return c.getAccessor().invoke(ports);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
