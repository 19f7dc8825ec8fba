package dev.siyu.core.timer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Timers waiting in minute buckets, and the sweep's cursor. */
public interface TimerStore {

    void put(Timer timer);

    /** Every timer still in the bucket and shard (claimed ones are gone). */
    List<Timer> due(Instant minute, int shard);

    /**
     * Removes the timer if it is still there and returns the step as stored; empty if another
     * sweep claimed it first. Of any number of concurrent callers, exactly one gets the step.
     */
    Optional<DueStep> claim(Timer timer);

    /** The last minute a sweep finished, if any sweep ever did. */
    Optional<Instant> lastSwept();

    /** Moves the cursor forward only: a slow sweep finishing after a newer one must not move it back. */
    void markSwept(Instant minute);
}
