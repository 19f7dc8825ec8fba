package dev.siyu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.timer.DueStep;
import dev.siyu.memory.VirtualClock;
import dev.siyu.memory.faults.Faults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journey queue fails over as template.yaml's JourneyQueue does, and with faults delivers as a standard queue may. */
class VirtualStepQueueTest {
    static final Instant T0 = Instant.parse("2026-11-02T02:00:00Z");

    @Test
    void aFailedMessageComesBackAfterTheVisibilityTimeoutAndIsADeadLetterAfterFiveReceives() {
        VirtualClock clock = new VirtualClock(T0);
        VirtualStepQueue queue = new VirtualStepQueue(clock);
        DeadLetters dead = new DeadLetters();
        queue.send(step(0), Duration.ZERO);
        for (int receive = 1; receive <= VirtualStepQueue.MAX_RECEIVES; receive++) {
            List<VirtualStepQueue.Message> got = queue.receiveVisible();
            assertThat(got).singleElement().extracting(VirtualStepQueue.Message::receives).isEqualTo(receive);
            boolean deadLettered = queue.failed(got.get(0), dead);
            assertThat(deadLettered).isEqualTo(receive == VirtualStepQueue.MAX_RECEIVES);
            if (!deadLettered) {
                clock.set(clock.instant().plus(VirtualStepQueue.VISIBILITY_TIMEOUT).minusSeconds(1));
                assertThat(queue.receiveVisible()).as("invisible until the timeout").isEmpty();
                clock.set(clock.instant().plusSeconds(1));
            }
        }
        assertThat(queue.nextVisible()).isEmpty();
        assertThat(dead.messages()).hasSize(1);

        assertThat(dead.redrive(queue)).isEqualTo(1);
        assertThat(queue.receiveVisible()).singleElement().satisfies(m -> {
            assertThat(m.step()).isEqualTo(step(0));
            assertThat(m.receives()).as("a redriven message counts its receives again").isEqualTo(1);
        });
        assertThat(dead.isEmpty()).isTrue();
        assertThat(dead.redriven()).isEqualTo(1);
    }

    @Test
    void withFaultsDeliveriesAreDuplicatedDelayedAndReorderedButNoneIsLost() {
        VirtualClock clock = new VirtualClock(T0);
        Faults faults = new Faults(9, 0.5);
        VirtualStepQueue queue = new VirtualStepQueue(clock, faults);
        int sent = 400;
        for (int i = 0; i < sent; i++) {
            queue.send(step(i), Duration.ZERO);
        }
        queue.enqueue(new JourneyTrigger("t", "c1", "purchase", T0, Map.of()));
        List<Integer> delivered = new ArrayList<>();
        while (queue.nextVisible().isPresent()) {
            clock.set(queue.nextVisible().get().isAfter(clock.instant()) ? queue.nextVisible().get() : clock.instant());
            queue.receiveVisible().forEach(m -> delivered.add(m.step() != null ? m.step().step() : -1));
        }
        assertThat(faults.counts()).containsKeys(Faults.QUEUE_DUPLICATE, Faults.QUEUE_DELAYED, Faults.QUEUE_REORDERED);
        assertThat(delivered).hasSize(sent + 1 + faults.counts().get(Faults.QUEUE_DUPLICATE).intValue());
        assertThat(delivered.stream().distinct().count()).as("every step and the trigger").isEqualTo(sent + 1);
        assertThat(delivered).as("some arrive out of order").isNotEqualTo(delivered.stream().sorted().toList());
    }

    static DueStep step(int i) {
        return new DueStep("t", "c1", "new_customer_activation", "run1", i, T0, Map.of());
    }
}
