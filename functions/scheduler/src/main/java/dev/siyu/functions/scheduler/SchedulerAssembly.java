package dev.siyu.functions.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.core.port.WeComApi;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoTimerStore;
import dev.siyu.store.SqsStepQueue;
import dev.siyu.store.StoreSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The scheduler's object graph with plain constructors: the function's CDI wiring, the local stack's
 * scheduler and the simulator (on a virtual clock) build exactly the same jobs from here.
 */
public final class SchedulerAssembly {
    public static final String SWEEP_TIMERS = "sweep-timers";

    public final TimerSweep sweep;
    public final Jobs jobs;

    /**
     * @param io runs the sweep's shards concurrently; {@code Runnable::run} for one after another
     */
    public SchedulerAssembly(TenantConfig config, DynamoDbClient dynamo, SqsClient sqs, StoreSettings store,
                             WeComApi wecom, CapacityMeter meter, Clock clock, Executor io) {
        String table = store.tableName();
        this.sweep = new TimerSweep(new DynamoTimerStore(dynamo, table, meter),
                new SqsStepQueue(sqs, store.queueUrl(), new ObjectMapper()), clock, TimerSweep.Settings.defaults(), io);
        Map<String, ScheduledJob> named = new LinkedHashMap<>();
        named.put(SWEEP_TIMERS, sweep::sweep);
        this.jobs = new Jobs(named, clock);
    }

    /** With a daemon pool for the sweep's shards (one per shard). */
    public SchedulerAssembly(TenantConfig config, DynamoDbClient dynamo, SqsClient sqs, StoreSettings store,
                             WeComApi wecom, CapacityMeter meter, Clock clock) {
        this(config, dynamo, sqs, store, wecom, meter, clock, ioPool(TimerSweep.Settings.DEFAULT_SHARDS));
    }

    /** Daemon threads: a pool nobody shuts down must not hold the JVM open. */
    static Executor ioPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scheduler-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
