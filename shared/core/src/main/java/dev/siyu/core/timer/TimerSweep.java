package dev.siyu.core.timer;

import dev.siyu.core.timer.StepQueue.Delayed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The per-minute sweep (docs/architecture.md, Timers; schedule {@code sweep-timers}): moves every timer of
 * the minutes since the last sweep, up to and including the current one, to the step queue.
 *
 * <p>Hand-over is lease, send, delete: each timer is first leased by a conditional update that only
 * one sweeper can win, then sent, then deleted. So overlapping or repeated sweeps of a bucket hand
 * every timer over exactly once. A sweeper dying between lease and delete leaves timers whose
 * lease runs out after {@link #LEASE}; the next sweep finds them again (the cursor does not move
 * past a bucket that still holds a live lease), so a crash can duplicate a step but never lose
 * one, and the worker's step claim ({@code step = i -> i+1}) makes the duplicate harmless. A timer
 * the queue refuses is moved into the current minute, which the next sweep re-reads (the last
 * swept minute is always swept again for that reason).
 *
 * <p>A sweeper that was down catches up on missed minutes from its cursor, at most
 * {@link Settings#maxCatchUp()} of them per run, so one run finishes within the scheduler's timeout;
 * the next runs continue where it stopped, and no timer is ever left behind. The current minute is
 * swept on every run, so what is due now does not wait behind a backlog.
 */
public final class TimerSweep {
    /** SQS SendMessageBatch takes at most 10 entries. */
    static final int BATCH = 10;
    /** Far longer than one batch's send, far shorter than the minute between sweeps. */
    static final Duration LEASE = Duration.ofSeconds(30);

    private final TimerStore timers;
    private final StepQueue queue;
    private final Clock clock;
    private final Settings settings;
    private final Executor executor;

    /** Sweeps shards one after another on the caller's thread. */
    public TimerSweep(TimerStore timers, StepQueue queue, Clock clock, Settings settings) {
        this(timers, queue, clock, settings, Runnable::run);
    }

    /** Sweeps a minute's shards concurrently on the executor: each claim is a round trip, so throughput needs parallel shards. */
    public TimerSweep(TimerStore timers, StepQueue queue, Clock clock, Settings settings, Executor executor) {
        this.timers = timers;
        this.queue = queue;
        this.clock = clock;
        this.settings = settings;
        this.executor = executor;
    }

    public record Settings(int shards, Duration maxCatchUp) {
        public static final int DEFAULT_SHARDS = 8;
        public static final Duration DEFAULT_MAX_CATCH_UP = Duration.ofMinutes(60);

        public Settings {
            if (shards < 1) {
                throw new IllegalArgumentException("shards must be >= 1: " + shards);
            }
            if (maxCatchUp.isNegative()) {
                throw new IllegalArgumentException("maxCatchUp must be >= 0: " + maxCatchUp);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_SHARDS, DEFAULT_MAX_CATCH_UP);
        }
    }

    /**
     * What one sweep did. {@code claimedElsewhere}: timers another sweep claimed between our read
     * and our claim. {@code putBack}: timers the queue refused, kept for the next sweep.
     */
    public record Result(Instant fromMinute, Instant toMinute, int buckets, int found, int handedOver,
                         int claimedElsewhere, int putBack) {
        Result plus(Result o) {
            return new Result(fromMinute, toMinute, buckets + o.buckets, found + o.found,
                    handedOver + o.handedOver, claimedElsewhere + o.claimedElsewhere, putBack + o.putBack);
        }
    }

    public Result sweep() {
        Instant now = clock.instant();
        Instant current = Timer.minuteOf(now);
        Instant earliest = Timer.minuteOf(current.minus(settings.maxCatchUp()));
        Optional<Instant> last = timers.lastSwept();
        // A cursor far behind (an outage) is caught up in chunks of maxCatchUp per sweep, never skipped:
        // skipping would strand every timer in the skipped minutes.
        Instant from = last.orElse(earliest);
        if (from.isAfter(current)) {
            // The cursor is ahead of our clock (skew between sweepers): still sweep this minute, it costs a Query per shard.
            from = current;
        }
        Instant chunkEnd = from.plus(settings.maxCatchUp());
        Instant to = chunkEnd.isBefore(current) ? chunkEnd : current;
        Result total = new Result(from, to, 0, 0, 0, 0, 0);
        for (Instant minute = from; !minute.isAfter(to); minute = minute.plus(Duration.ofMinutes(1))) {
            total = total.plus(sweepMinute(minute, now, current));
        }
        if (to.isBefore(current)) {
            // While catching up, what is due right now still goes out now; the backlog follows.
            total = total.plus(sweepMinute(current, now, current));
        }
        // Only after every bucket is done, and none holds another sweeper's live lease (it may have
        // died): otherwise the next sweep starts again from the old cursor.
        if (total.claimedElsewhere() == 0) {
            timers.markSwept(to);
        }
        return total;
    }

    private Result sweepMinute(Instant minute, Instant now, Instant current) {
        List<CompletableFuture<Result>> shards = new ArrayList<>();
        for (int shard = 0; shard < settings.shards(); shard++) {
            int s = shard;
            shards.add(CompletableFuture.supplyAsync(() -> sweepBucket(minute, s, now, current), executor));
        }
        Result sum = new Result(minute, minute, 0, 0, 0, 0, 0);
        for (CompletableFuture<Result> f : shards) {
            try {
                sum = sum.plus(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw e;
            }
        }
        return sum;
    }

    private Result sweepBucket(Instant minute, int shard, Instant now, Instant current) {
        List<Timer> found = timers.due(minute, shard);
        int handedOver = 0;
        int elsewhere = 0;
        int putBack = 0;
        List<Timer> leased = new ArrayList<>(BATCH);
        List<Delayed> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < found.size(); i++) {
            Optional<DueStep> claimed = timers.claim(found.get(i), now, now.plus(LEASE));
            if (claimed.isPresent()) {
                leased.add(found.get(i));
                batch.add(new Delayed(claimed.get(), delay(claimed.get(), now)));
            } else {
                elsewhere++;
            }
            if (batch.size() == BATCH || (i == found.size() - 1 && !batch.isEmpty())) {
                int refused = send(leased, batch, shard, current);
                handedOver += batch.size() - refused;
                putBack += refused;
                leased.clear();
                batch.clear();
            }
        }
        return new Result(minute, minute, 1, found.size(), handedOver, elsewhere, putBack);
    }

    private int send(List<Timer> leased, List<Delayed> batch, int shard, Instant current) {
        List<Delayed> refused;
        try {
            refused = queue.sendAll(List.copyOf(batch));
        } catch (RuntimeException e) {
            // Unknown whether any got through; moving all of them may duplicate some, which the worker's claim absorbs.
            refused = batch;
        }
        java.util.Set<String> keptHere = new java.util.HashSet<>();
        for (Delayed d : refused) {
            // Put again without a lease, in the current minute the next sweep re-reads.
            timers.put(new Timer(current, shard, d.step()));
            keptHere.add(d.step().id());
        }
        // Sent ones are done; refused ones now wait in the current minute instead. A refused timer that was
        // already in the current minute was just put back under its own key: deleting it would lose it.
        timers.remove(leased.stream().filter(t -> !(t.minute().equals(current) && keptHere.contains(t.step().id())))
                .toList());
        return refused.size();
    }

    private static Duration delay(DueStep step, Instant now) {
        Duration d = StepScheduler.delayUntil(step.dueAt(), now);
        return d.compareTo(StepQueue.MAX_DELAY) > 0 ? StepQueue.MAX_DELAY : d;
    }
}
