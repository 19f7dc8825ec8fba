package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepQueue;
import dev.siyu.core.timer.StepScheduler.Placement;
import dev.siyu.core.timer.StepScheduler;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerSweep.Result;
import dev.siyu.core.timer.TimerSweep.Settings;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.memory.VirtualClock;
import dev.siyu.stack.aws.EmbeddedSqs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Scheduler, timer store and sweep against DynamoDB Local and ElasticMQ, with a hand-moved clock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimersTest {
    private static final Instant T0 = Instant.parse("2026-03-01T11:00:00Z");
    private static final Settings SETTINGS = new Settings(8, Duration.ofMinutes(10));

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger fresh = new AtomicInteger();
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private EmbeddedSqs elasticMq;
    private SqsClient sqs;

    private final CapacityMeter meter = new CapacityMeter();
    private VirtualClock clock;
    private DynamoTimerStore store;
    private String queueUrl;
    private RecordingQueue queue;

    @BeforeAll
    void start() {
        elasticMq = EmbeddedSqs.start(0);
        sqs = new AwsClients(StoreSettings.local("unused", "unused", elasticMq.endpoint(), elasticMq.endpoint())).sqs();
    }

    @AfterAll
    void stop() {
        sqs.close();
        elasticMq.close();
    }

    /** A table and queue per test: the sweep cursor is one item per table, and queues keep messages. */
    @BeforeEach
    void freshTableAndQueue() {
        int n = fresh.incrementAndGet();
        String table = "timers-" + n;
        SiyuTable.createIfMissing(aws.dynamo(), table);
        store = new DynamoTimerStore(aws.dynamo(), table, meter);
        queueUrl = sqs.createQueue(b -> b.queueName("steps-" + n)).queueUrl();
        queue = new RecordingQueue(new SqsStepQueue(sqs, queueUrl, mapper));
        clock = new VirtualClock(T0);
    }

    @Test
    void aStepDueIn5MinutesGoesToSqsDelayed300sAndIsNotReceivableYet() throws Exception {
        DueStep step = step("run-1", T0.plus(Duration.ofMinutes(5)));
        DueStep soon = step("run-2", T0.plusMillis(1_200));

        assertThat(scheduler().schedule(step)).isEqualTo(Placement.QUEUED);
        assertThat(scheduler().schedule(soon)).isEqualTo(Placement.QUEUED);

        assertThat(queue.delays).containsEntry("run-1", Duration.ofSeconds(300))
                // 1.2 s rounds up to 2 s: never early.
                .containsEntry("run-2", Duration.ofSeconds(2));
        assertThat(receiveNow()).isEmpty();
        // ElasticMQ honours delays: the 2 s one shows up, the 300 s one stays delayed.
        List<Message> later = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(5))
                .messages();
        assertThat(later).hasSize(1);
        assertThat(new DueStepJson(mapper).read(later.get(0).body())).isEqualTo(soon);
        assertThat(delayedCount()).isEqualTo(1);
        assertThat(store.due(Timer.minuteOf(step.dueAt()), Timer.shardOf("run-1", 8))).isEmpty();
    }

    @Test
    void aStepDueIn3DaysBecomesATimerInItsMinuteBucket() {
        DueStep step = step("run-3d", T0.plus(Duration.ofDays(3)).plusSeconds(42));
        // Just over 15 min also becomes a timer: 900.5 s rounds up to 901 s, beyond DelaySeconds.
        DueStep edge = step("run-edge", T0.plusMillis(900_500));

        assertThat(scheduler().schedule(step)).isEqualTo(Placement.TIMER);
        assertThat(scheduler().schedule(edge)).isEqualTo(Placement.TIMER);

        assertThat(queue.delays).isEmpty();
        assertThat(store.due(Instant.parse("2026-03-04T11:00:00Z"), Timer.shardOf("run-3d", 8)))
                .extracting(Timer::step).containsExactly(step);
        assertThat(receiveNow()).isEmpty();
    }

    @Test
    void aSweeperThatDiesAfterLeasingLosesNothing() {
        Instant due = Instant.parse("2026-03-01T12:00:10Z");
        DueStep step = step("run-crash", due);
        scheduler().schedule(step);
        Timer timer = new Timer(Timer.minuteOf(due), Timer.shardOf("run-crash", 8), step);

        // GIVEN a sweeper that leased the timer at 12:00:20 and died before sending it
        Instant leasedAt = Instant.parse("2026-03-01T12:00:20Z");
        assertThat(store.claim(timer, leasedAt, leasedAt.plusSeconds(30))).contains(step);

        // WHEN the next sweep runs while that lease still holds, it leaves the timer and the cursor alone
        clock.set(Instant.parse("2026-03-01T12:00:40Z"));
        Result during = sweep().sweep();
        assertThat(during.handedOver()).isZero();
        assertThat(during.claimedElsewhere()).isEqualTo(1);
        assertThat(store.lastSwept()).isEmpty();

        // THEN the sweep after the lease ran out hands it over, once, and removes it
        clock.set(Instant.parse("2026-03-01T12:01:05Z"));
        Result after = sweep().sweep();
        assertThat(after.handedOver()).isEqualTo(1);
        assertThat(queue.delays).containsOnlyKeys("run-crash").containsEntry("run-crash", Duration.ZERO);
        assertThat(store.due(timer.minute(), timer.shard())).isEmpty();
        assertThat(store.lastSwept()).contains(Instant.parse("2026-03-01T12:01:00Z"));
    }

    @Test
    void aTimerSqsRefusesInItsOwnMinuteWaitsForTheNextSweepInsteadOfVanishing() {
        Instant due = Instant.parse("2026-03-01T12:00:10Z");
        scheduler().schedule(step("run-throttled", due));

        // GIVEN SQS throttles the hand-over during the timer's own minute
        queue.refuseBatches = 1;
        clock.set(Instant.parse("2026-03-01T12:00:30Z"));
        Result throttled = sweep().sweep();
        assertThat(throttled.putBack()).isEqualTo(1);
        assertThat(queue.delays).isEmpty();

        // THEN the next sweep hands it over, once
        clock.set(Instant.parse("2026-03-01T12:01:05Z"));
        Result next = sweep().sweep();
        assertThat(next.handedOver()).isEqualTo(1);
        assertThat(bodies(drain())).extracting(DueStep::runId).containsExactly("run-throttled");
    }

    @Test
    void timersEitherSideOfAMinuteBoundaryAreHandedOverInTheirOwnMinuteNotBefore() {
        Instant a = Instant.parse("2026-03-01T12:00:59Z");
        Instant b = Instant.parse("2026-03-01T12:01:00Z");
        scheduler().schedule(step("run-a", a));
        scheduler().schedule(step("run-b", b));

        clock.set(Instant.parse("2026-03-01T11:59:30Z"));
        assertThat(sweep().sweep().handedOver()).isZero();

        clock.set(Instant.parse("2026-03-01T12:00:30Z"));
        Result first = sweep().sweep();
        assertThat(first.handedOver()).isEqualTo(1);
        assertThat(queue.delays).containsOnlyKeys("run-a").containsEntry("run-a", Duration.ofSeconds(29));

        clock.set(Instant.parse("2026-03-01T12:01:00Z"));
        Result second = sweep().sweep();
        assertThat(second.handedOver()).isEqualTo(1);
        assertThat(queue.delays).containsEntry("run-b", Duration.ZERO);
        // run-a went out at 12:00:30 of the test clock with 29 s of real delay, so ElasticMQ still holds it back.
        assertThat(bodies(drain())).extracting(DueStep::runId).containsExactly("run-b");
        assertThat(delayedCount()).isEqualTo(1);
    }

    @Test
    void aLateSweepCatchesUpOnMissedMinutesWithDelayZero() {
        Instant noon = Instant.parse("2026-03-01T12:00:00Z");
        for (int m = 1; m <= 5; m++) {
            scheduler().schedule(step("run-late-" + m, noon.plus(Duration.ofMinutes(m)).plusSeconds(10)));
        }
        // Too old to catch up on: beyond the 10-minute bound, it is left for an operator.
        scheduler().schedule(step("run-ancient", noon.minus(Duration.ofMinutes(20))));
        clock.set(noon);
        sweep().sweep();

        clock.set(noon.plus(Duration.ofMinutes(6)).plusSeconds(5)); // down from 12:00 to 12:06
        Result r = sweep().sweep();

        assertThat(r.fromMinute()).isEqualTo(noon);
        assertThat(r.buckets()).isEqualTo(7 * 8);
        assertThat(r.handedOver()).isEqualTo(5);
        assertThat(queue.delays.values()).containsOnly(Duration.ZERO);
        assertThat(drain()).hasSize(5);
        assertThat(store.lastSwept()).contains(Instant.parse("2026-03-01T12:06:00Z"));
    }

    @Test
    void aFirstSweepLooksBackOnlyAsFarAsTheBound() {
        Instant noon = Instant.parse("2026-03-01T12:00:00Z");
        scheduler().schedule(step("run-recent", noon.minus(Duration.ofMinutes(9))));
        scheduler().schedule(step("run-ancient", noon.minus(Duration.ofMinutes(11))));
        clock.set(noon);

        Result r = sweep().sweep();

        assertThat(r.fromMinute()).isEqualTo(noon.minus(Duration.ofMinutes(10)));
        assertThat(queue.delays).containsOnlyKeys("run-recent");
    }

    @Test
    void concurrentSweepsOfTheSameBucketsHandEachTimerOverExactlyOnce() throws Exception {
        Instant minute = Instant.parse("2026-03-01T12:00:00Z");
        int timers = 200;
        for (int i = 0; i < timers; i++) {
            scheduler().schedule(step("run-c" + i, minute.plusMillis(i)));
        }
        clock.set(minute.plusSeconds(30));

        List<Result> results = Concurrently.run(4, i -> sweep().sweep());

        assertThat(results.stream().mapToInt(Result::handedOver).sum()).isEqualTo(timers);
        assertThat(results.stream().mapToInt(Result::putBack).sum()).isZero();
        List<Message> received = drain();
        assertThat(received).hasSize(timers);
        assertThat(bodies(received).stream().map(DueStep::runId).distinct().count()).isEqualTo(timers);
        // And a sweep afterwards finds nothing left to hand over.
        assertThat(sweep().sweep().found()).isZero();
    }

    @Test
    void aThousandTimersAcrossShardsAreSweptAndTimed() throws Exception {
        Instant minute = Instant.parse("2026-03-01T13:00:00Z");
        int n = 1_000;
        long putStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            scheduler().schedule(step("run-t" + i, minute.plusMillis(i * 37L)));
        }
        long putMillis = (System.nanoTime() - putStart) / 1_000_000;
        clock.set(minute.plusSeconds(59));
        store.markSwept(minute); // only this minute, so the figure is the hand-over, not empty catch-up queries

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CapacityMeter.Snapshot before = meter.snapshot();
            long start = System.nanoTime();
            Result r = new TimerSweep(store, queue, clock, SETTINGS, pool).sweep();
            long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
            CapacityMeter.Snapshot used = meter.snapshot().minus(before);

            assertThat(r.handedOver()).isEqualTo(n);
            assertThat(r.buckets()).isEqualTo(8);
            Map<QueueAttributeName, String> attrs = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
            assertThat(Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))).isEqualTo(n);
            System.out.printf("[timers] put %d timers in %d ms; swept %d (8 shards, 8 threads) in %d ms = %.0f timers/s;"
                            + " %.1f RCU, %.1f WCU, %d DynamoDB requests%n",
                    n, putMillis, r.handedOver(), millis, r.handedOver() * 1000.0 / millis,
                    used.reads(), used.writes(), used.requests());
        } finally {
            pool.shutdownNow();
        }
    }

    private StepScheduler scheduler() {
        return new StepScheduler(queue, store, clock, SETTINGS.shards());
    }

    private TimerSweep sweep() {
        return new TimerSweep(store, queue, clock, SETTINGS);
    }

    private static DueStep step(String runId, Instant due) {
        return new DueStep("acme", "c-" + runId, "welcome", runId, 1, due, Map.of("template", "day3"));
    }

    private List<Message> receiveNow() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
    }

    private List<Message> drain() {
        List<Message> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(300)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            for (Message m : batch) {
                assertThat(seen.add(m.messageId())).as("redelivered while draining").isTrue();
                all.add(m);
            }
        }
    }

    private List<DueStep> bodies(List<Message> messages) {
        DueStepJson json = new DueStepJson(mapper);
        return messages.stream().map(m -> json.read(m.body())).toList();
    }

    private int delayedCount() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    /** The real SQS adapter, with the delay each run's step was sent with written down. */
    private static final class RecordingQueue implements StepQueue {
        final Map<String, Duration> delays = new ConcurrentHashMap<>();
        /** Batches SQS refuses whole (a throttle) before it accepts again. */
        int refuseBatches;
        private final SqsStepQueue sqs;

        RecordingQueue(SqsStepQueue sqs) {
            this.sqs = sqs;
        }

        @Override
        public void send(DueStep step, Duration delay) {
            delays.put(step.runId(), delay);
            sqs.send(step, delay);
        }

        @Override
        public List<Delayed> sendAll(List<Delayed> steps) {
            if (refuseBatches > 0) {
                refuseBatches--;
                return steps;
            }
            steps.forEach(d -> delays.put(d.step().runId(), d.delay()));
            return sqs.sendAll(steps);
        }
    }
}
