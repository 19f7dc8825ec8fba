package dev.siyu.core.timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides where a step waits (docs/architecture.md, Timers): within SQS's 15-minute DelaySeconds limit on
 * the step queue, otherwise as a timer in the minute bucket of its due time.
 */
public final class StepScheduler {
    public enum Placement { QUEUED, TIMER }

    private final StepQueue queue;
    private final TimerStore timers;
    private final Clock clock;
    private final int shards;

    public StepScheduler(StepQueue queue, TimerStore timers, Clock clock, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1: " + shards);
        }
        this.queue = queue;
        this.timers = timers;
        this.clock = clock;
        this.shards = shards;
    }

    public Placement schedule(DueStep step) {
        Duration delay = delayUntil(step.dueAt(), clock.instant());
        // Compared after rounding up: 900.4 s rounds to 901 s, which SQS refuses, so it becomes a timer.
        if (delay.compareTo(StepQueue.MAX_DELAY) <= 0) {
            queue.send(step, delay);
            return Placement.QUEUED;
        }
        timers.put(new Timer(Timer.minuteOf(step.dueAt()), Timer.shardOf(step.runId(), shards), step));
        return Placement.TIMER;
    }

    /**
     * Whole seconds, rounded up so a step never runs early; 0 when overdue. Not capped: callers
     * compare against the 15-minute limit themselves.
     */
    static Duration delayUntil(Instant due, Instant now) {
        if (!due.isAfter(now)) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, due);
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(seconds);
    }
}
