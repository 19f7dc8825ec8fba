package dev.siyu.functions.scheduler;

import dev.siyu.store.TenantConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.journey.ConfigCatalog;
import dev.siyu.core.journey.JourneyServices;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.schedule.ChurnHeuristic;
import dev.siyu.core.schedule.CommunityCare;
import dev.siyu.core.schedule.DailyRules;
import dev.siyu.core.schedule.FreeloaderScan;
import dev.siyu.core.schedule.GroupSop;
import dev.siyu.core.schedule.Offboarding;
import dev.siyu.core.tags.CorpTags;
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
import dev.siyu.store.DynamoProfileScan;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.DynamoTenantLog;
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
 * scheduler and the simulator (on a virtual clock) build exactly the same jobs from here. Each job is
 * a class of dev.siyu.core.schedule (or the timer sweep); this only names them and hands them their ports.
 */
public final class SchedulerAssembly {
    public static final String SWEEP_TIMERS = "sweep-timers";
    public static final String DAILY_RULES = "daily-rules";
    public static final String GROUP_SOP = "group-sop";
    public static final String COMMUNITY = "community";
    public static final String FREELOADERS = "freeloaders";
    public static final String OFFBOARDING = "offboarding";

    /** The Mini Program page a group SOP card opens: calendar slots name no page of their own. */
    static final String SOP_CARD_PAGE = "pages/index/index";
    /** The VIP group invite community care sends ({group_type} is the group type's name). */
    static final String VIP_INVITE = "You're invited to our VIP Member Group: early access and member prices. Tap to join.";

    public final JourneyServices journeys;
    public final TimerSweep sweep;
    public final Jobs jobs;

    /**
     * @param config        the tenant's config, as loaded ({@link TenantConfig#load})
     * @param configVersion its stored version number (0: a file or the bundled example); journeys the
     *                      daily rules start begin on it
     * @param conditions    compiles the blueprint's CEL conditions (one per function: it caches them)
     * @param io            runs the sweep's shards concurrently; {@code Runnable::run} for one after another
     */
    public SchedulerAssembly(ScrmConfig config, long configVersion, ConditionCompiler conditions, DynamoDbClient dynamo,
                             SqsClient sqs, StoreSettings store, WeComApi wecom, CapacityMeter meter, Clock clock,
                             Executor io) {
        String table = store.tableName();
        Ids ids = new Ids();
        DynamoCustomerStore customers = new DynamoCustomerStore(dynamo, table, meter);
        DynamoGroupStore groups = new DynamoGroupStore(dynamo, table, meter);
        DynamoOutreachCounters counters = new DynamoOutreachCounters(dynamo, table, meter);
        DynamoDecisionCounts decisions = new DynamoDecisionCounts(dynamo, table, meter);
        DynamoTenantLog tenantLog = new DynamoTenantLog(dynamo, table, meter);
        DynamoProfileScan profiles = new DynamoProfileScan(dynamo, table, meter);
        DynamoTimerStore timers = new DynamoTimerStore(dynamo, table, meter);
        SqsStepQueue steps = new SqsStepQueue(sqs, store.queueUrl(), new ObjectMapper());
        CorpTags corpTags = new CorpTags(wecom, config.tagSystem());

        // The daily rules start condition journeys, which needs the engine the worker runs too.
        ConfigCatalog catalog = new ConfigCatalog(new DynamoConfigStore(dynamo, table, meter), new ConfigLoader(conditions),
                config.tenant(), configVersion, config);
        StepScheduler scheduler = new StepScheduler(steps, timers, clock, TimerSweep.Settings.DEFAULT_SHARDS);
        this.journeys = new JourneyServices(config, catalog, conditions, customers,
                new DynamoJourneyRunStore(dynamo, table, meter), counters, decisions, groups, wecom, scheduler, clock, ids);
        this.sweep = new TimerSweep(timers, steps, clock, TimerSweep.Settings.defaults(), io);

        DailyRules rules = new DailyRules(config, profiles, customers, wecom, corpTags, conditions, journeys.starter,
                ChurnHeuristic.DEFAULT, ids);
        GroupSop sop = new GroupSop(config, groups, customers, new OutreachGate(config.guardrails(), config.timezone()),
                counters, decisions, tenantLog, wecom, ids, SOP_CARD_PAGE, GroupSop.SCHEDULED_LOOKBACK);
        CommunityCare community = new CommunityCare(config, groups, customers, profiles, journeys.outreach, wecom, corpTags,
                conditions, ids, VIP_INVITE);
        FreeloaderScan freeloaders = new FreeloaderScan(config, profiles, customers, ids);
        Offboarding offboarding = new Offboarding(config, wecom, customers, profiles,
                new DynamoStaffLoadStore(dynamo, table, meter), tenantLog, ids);

        Map<String, ScheduledJob> named = new LinkedHashMap<>();
        named.put(SWEEP_TIMERS, sweep::sweep);
        named.put(DAILY_RULES, () -> rules.run(clock.instant()));
        named.put(GROUP_SOP, () -> sop.run(clock.instant()));
        named.put(COMMUNITY, () -> community.run(clock.instant()));
        named.put(FREELOADERS, () -> freeloaders.run(clock.instant()));
        named.put(OFFBOARDING, () -> offboarding.run(clock.instant()));
        this.jobs = new Jobs(named, clock);
    }

    /** CEL conditions, and a daemon pool for the sweep's shards (one per shard). */
    public SchedulerAssembly(ScrmConfig config, long configVersion, DynamoDbClient dynamo, SqsClient sqs,
                             StoreSettings store, WeComApi wecom, CapacityMeter meter, Clock clock) {
        this(config, configVersion, new CelConditionCompiler(), dynamo, sqs, store, wecom, meter, clock,
                ioPool(TimerSweep.Settings.DEFAULT_SHARDS));
    }

    /** Daemon threads: a pool nobody shuts down must not hold the JVM open. */
    public static Executor ioPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scheduler-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
