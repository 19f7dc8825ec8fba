package dev.siyu.core.timer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Timers waiting in minute buckets, and the sweep's cursor. */
public interface TimerStore {

    void put(Timer timer);

    /** Every timer still in the bucket and shard, leased ones included. */
    List<Timer> due(Instant minute, int shard);

    /**
     * Leases the timer to the caller until leaseUntil if it is still there and no live lease holds
     * it, and returns the step as stored; empty otherwise. Of any number of concurrent callers,
     * exactly one gets the step. A lease that runs out (its sweeper died before sending) makes the
     * timer claimable again, so a crash duplicates a step at worst, it never loses one.
     */
    Optional<DueStep> claim(Timer timer, Instant now, Instant leaseUntil);

    /** Deletes timers whose steps the queue accepted. */
    void remove(List<Timer> sent);

    /** The last minute a sweep finished, if any sweep ever did. */
    Optional<Instant> lastSwept();

    /** Moves the cursor forward only: a slow sweep finishing after a newer one must not move it back. */
    void markSwept(Instant minute);
}
