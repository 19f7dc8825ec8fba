package dev.siyu.core.timer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Where a step waits: its minute bucket and shard. The bucket is normally the minute of
 * {@code dueAt}; a timer put back after a failed hand-over lands in a later bucket, so it is kept
 * apart from the step rather than derived from it.
 */
public record Timer(Instant minute, int shard, DueStep step) {
    public Timer {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(minute, "minute");
        if (!minute.equals(minuteOf(minute))) {
            throw new IllegalArgumentException("bucket must be a whole minute: " + minute);
        }
        if (shard < 0) {
            throw new IllegalArgumentException("shard must be >= 0: " + shard);
        }
    }

    public static Instant minuteOf(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES);
    }

    /**
     * String.hashCode is fixed by the language spec, so every writer and sweeper agrees on a run's
     * shard across JVMs and releases, as long as they agree on the shard count.
     */
    public static int shardOf(String runId, int shards) {
        return Math.floorMod(runId.hashCode(), shards);
    }
}
