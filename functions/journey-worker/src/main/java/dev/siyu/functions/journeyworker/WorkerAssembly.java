package dev.siyu.functions.journeyworker;

import dev.siyu.store.TenantConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.ConfigCatalog;
import dev.siyu.core.journey.JourneyServices;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.StepScheduler;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoDecisionCounts;
import dev.siyu.store.DynamoGroupStore;
import dev.siyu.store.DynamoJourneyRunStore;
import dev.siyu.store.DynamoOutreachCounters;
import dev.siyu.store.DynamoTimerStore;
import dev.siyu.store.SqsStepQueue;
import dev.siyu.store.StoreSettings;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The worker's object graph with plain constructors: the function's CDI wiring, the local stack and
 * the simulator (on a virtual clock, records one by one) build exactly the same thing from here.
 */
public final class WorkerAssembly {
    /** Records of one batch handled at once when the caller does not choose. */
    public static final int DEFAULT_PARALLEL_RECORDS = 5;

    public final JourneyServices journeys;
    public final JourneyWorker worker;

    /**
     * @param config        the tenant's config, as loaded ({@link TenantConfig#load})
     * @param configVersion its stored version number (0: a file or the bundled example); new runs start on it
     * @param conditions    compiles the journeys' CEL conditions (one per function: it caches them)
     * @param records       runs a batch's records: {@code Runnable::run} for one by one, or a pool
     */
    public WorkerAssembly(ScrmConfig config, long configVersion, ConditionCompiler conditions, DynamoDbClient dynamo,
                          SqsClient sqs, StoreSettings store, WeComApi wecom, CapacityMeter meter, Clock clock,
                          Executor records) {
        String table = store.tableName();
        String tenant = config.tenant();
        ConfigCatalog catalog = new ConfigCatalog(new DynamoConfigStore(dynamo, table, meter), new ConfigLoader(conditions),
                tenant, configVersion, config);
        // Same shard count as the scheduler's sweep: a timer in a shard the sweep never reads would never run.
        StepScheduler scheduler = new StepScheduler(new SqsStepQueue(sqs, store.queueUrl(), new ObjectMapper()),
                new DynamoTimerStore(dynamo, table, meter), clock, TimerSweep.Settings.DEFAULT_SHARDS);
        this.journeys = new JourneyServices(config, catalog, conditions,
                new DynamoCustomerStore(dynamo, table, meter), new DynamoJourneyRunStore(dynamo, table, meter),
                new DynamoOutreachCounters(dynamo, table, meter), new DynamoDecisionCounts(dynamo, table, meter),
                new DynamoGroupStore(dynamo, table, meter), wecom, scheduler, clock, new Ids());
        this.worker = new JourneyWorker(tenant, journeys.starter, journeys.steps, new JourneyMessages(new ObjectMapper()),
                records);
    }

    /** CEL conditions, and {@value #DEFAULT_PARALLEL_RECORDS} records of a batch at once on daemon threads. */
    public WorkerAssembly(ScrmConfig config, long configVersion, DynamoDbClient dynamo, SqsClient sqs, StoreSettings store,
                          WeComApi wecom, CapacityMeter meter, Clock clock) {
        this(config, configVersion, new CelConditionCompiler(), dynamo, sqs, store, wecom, meter, clock,
                recordPool(DEFAULT_PARALLEL_RECORDS));
    }

    /** {@code threads} daemon threads (a pool nobody shuts down must not hold the JVM open); 1: the caller's. */
    public static Executor recordPool(int threads) {
        if (threads <= 1) {
            return Runnable::run;
        }
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "journey-record-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
