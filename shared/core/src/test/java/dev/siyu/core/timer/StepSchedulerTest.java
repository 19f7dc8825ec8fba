package dev.siyu.core.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts; the scheduler and sweep run against DynamoDB Local and ElasticMQ in siyu-store's TimersTest. */
class StepSchedulerTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void delaysRoundUpToWholeSecondsSoAStepNeverRunsEarly() {
        assertThat(StepScheduler.delayUntil(NOW.plusMillis(1), NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(StepScheduler.delayUntil(NOW.plusSeconds(300), NOW)).isEqualTo(Duration.ofSeconds(300));
        assertThat(StepScheduler.delayUntil(NOW.plusMillis(900_001), NOW)).isEqualTo(Duration.ofSeconds(901));
        assertThat(StepScheduler.delayUntil(NOW.minusSeconds(5), NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRunAlwaysMapsToTheSameShardWithinRange() {
        // Pinned: String.hashCode is specified, so a change here would strand stored timers.
        assertThat(Timer.shardOf("run-1", 8)).isEqualTo(Math.floorMod("run-1".hashCode(), 8));
        for (int i = 0; i < 1000; i++) {
            assertThat(Timer.shardOf("r" + i, 8)).isBetween(0, 7);
        }
    }

    @Test
    void bucketsAreWholeMinutesAndDelaysStayWithinSqsLimits() {
        DueStep step = new DueStep("acme", "c-1", "welcome", "run-1", 0, NOW, Map.of());
        assertThatThrownBy(() -> new Timer(NOW.plusSeconds(1), 0, step)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepQueue.Delayed(step, Duration.ofSeconds(901)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Timer.minuteOf(Instant.parse("2026-03-01T12:00:59.999Z"))).isEqualTo(NOW);
    }
}
