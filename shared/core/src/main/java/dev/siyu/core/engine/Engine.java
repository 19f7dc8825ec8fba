package dev.siyu.core.engine;

import dev.siyu.core.member.MemberStores;
import dev.siyu.core.member.PointsExpiry;
import dev.siyu.core.member.PointsRules;

import dev.siyu.core.callback.CallbackProcessor;
import dev.siyu.core.group.GroupSync;
import dev.siyu.core.callback.ChannelDirectory;
import dev.siyu.core.callback.Rerouter;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.desk.StaffDesk;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.journey.ConfigCatalog;
import dev.siyu.core.journey.JourneyServices;
import dev.siyu.core.media.MediaAttachingWeComApi;
import dev.siyu.core.outreach.BatchedDecisionCounts;
import dev.siyu.core.outreach.MassSend;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.schedule.ChurnScorer;
import dev.siyu.core.schedule.NightlyScoring;
import dev.siyu.core.schedule.CommunityCare;
import dev.siyu.core.schedule.DailyRules;
import dev.siyu.core.schedule.FreeloaderScan;
import dev.siyu.core.schedule.GroupSop;
import dev.siyu.core.schedule.Offboarding;
import dev.siyu.core.schedule.Reconciler;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.StepScheduler;
import dev.siyu.core.timer.TimerSweep;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The composition root: ports + the tenant's blueprint + a clock make one engine, and every function,
 * {@code ./siyu local}, the simulator and the benchmarks build through it, so what the demo and the
 * benchmarks run is what AWS runs. Parts are built on first use: the callback function never builds the
 * journey engine, so it needs no condition compiler (and its zip carries no CEL).
 */
public final class Engine {
    /**
     * How this engine runs its work.
     *
     * @param callbackIo runs a callback's independent WeCom and table calls at once
     * @param sweepIo    runs the timer sweep's shards at once
     * @param sweep      the sweep's shard count and catch-up window; the step scheduler writes the same shards
     * @param ids        the source of event ids, touch record ids and lease owner tokens: random in production,
     *                   seeded in the simulator so that one seed gives one run
     */
    public record Settings(Executor callbackIo, Executor sweepIo, TimerSweep.Settings sweep, Ids ids) {
        private static final int CALLBACK_PARALLEL_CALLS = 6;

        public Settings {
            Objects.requireNonNull(callbackIo, "callbackIo");
            Objects.requireNonNull(sweepIo, "sweepIo");
            Objects.requireNonNull(sweep, "sweep");
            Objects.requireNonNull(ids, "ids");
        }

        public Settings(Executor callbackIo, Executor sweepIo, TimerSweep.Settings sweep) {
            this(callbackIo, sweepIo, sweep, new Ids());
        }

        /**
         * What a function runs with: a callback makes at most five WeCom or table calls at once, and the
         * sweep reads each of its shards at once.
         */
        public static Settings pooled() {
            return new Settings(DaemonPools.fixed("callback-io", CALLBACK_PARALLEL_CALLS),
                    DaemonPools.fixed("sweep-io", TimerSweep.Settings.DEFAULT_SHARDS), TimerSweep.Settings.defaults());
        }

        /** Everything on the caller's thread, default shards: tests, the simulator. */
        public static Settings inline() {
            return new Settings(Runnable::run, Runnable::run, TimerSweep.Settings.defaults());
        }

        public Settings withSweep(TimerSweep.Settings other) {
            return new Settings(callbackIo, sweepIo, other, ids);
        }

        public Settings withIds(Ids other) {
            return new Settings(callbackIo, sweepIo, sweep, other);
        }
    }

    private final Ports ports;
    private final ScrmConfig config;
    private final long configVersion;
    private final ConditionCompiler conditions;
    private final Clock clock;
    private final Settings settings;
    private final Ids ids;
    private final CorpTags corpTags;
    /**
     * The gate's decision counts are statistics for the operator's report, not a guard (the caps are the
     * touch records), so they are written once per batch of work instead of once per decision: the
     * worker flushes after each SQS batch, {@link Jobs} after each job, the simulator after each moment.
     */
    private final BatchedDecisionCounts decisions;
    private final Jobs jobs;
    private final CustomerScorer scorer;
    private final MemberStores members;

    private final Lazy<CallbackProcessor> callbacks = new Lazy<>(this::buildCallbacks);
    private final Lazy<JourneyServices> journeys = new Lazy<>(this::buildJourneys);
    private final Lazy<TimerSweep> sweep = new Lazy<>(this::buildSweep);

    /**
     * @param config        the tenant's blueprint as loaded
     * @param configVersion its stored version (0: a file or the bundled example); new journey runs start on it
     * @param conditions    compiles the blueprint's CEL conditions; null where no journey or job runs (the callback)
     */
    public Engine(Ports ports, ScrmConfig config, long configVersion, ConditionCompiler conditions, Clock clock,
                  Settings settings) {
        this(ports, config, configVersion, conditions, clock, settings, CustomerScorer.NONE);
    }

    /**
     * @param scorer the churn, value and propensity models: only the scoring function, {@code ./siyu local} and
     *               the simulator carry them; elsewhere {@link CustomerScorer#NONE}
     */
    public Engine(Ports ports, ScrmConfig config, long configVersion, ConditionCompiler conditions, Clock clock,
                  Settings settings, CustomerScorer scorer) {
        this(ports, config, configVersion, conditions, clock, settings, scorer, MemberStores.NONE);
    }

    /**
     * @param members the points ledger and member details the points-expiry job works on: the scheduler and
     *                {@code ./siyu local} carry them; elsewhere {@link MemberStores#NONE}
     */
    public Engine(Ports ports, ScrmConfig config, long configVersion, ConditionCompiler conditions, Clock clock,
                  Settings settings, CustomerScorer scorer, MemberStores members) {
        Objects.requireNonNull(ports, "ports");
        this.members = Objects.requireNonNull(members, "members");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Every message task the engine drafts carries a fresh picture for its card or image (WeCom
        // refuses a Mini Program card without pic_media_id); uploads go through the plain API.
        this.ports = ports.withWeCom(MediaAttachingWeComApi.uploading(ports.wecom(), config.tenant(), ports.media(),
                clock));
        this.configVersion = configVersion;
        this.conditions = conditions;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ids = settings.ids();
        this.corpTags = new CorpTags(this.ports.wecom(), config.tagSystem());
        this.decisions = new BatchedDecisionCounts(ports.decisions());
        this.jobs = new Jobs(this);
    }

    public Ports ports() {
        return ports;
    }

    public ScrmConfig config() {
        return config;
    }

    public long configVersion() {
        return configVersion;
    }

    public Clock clock() {
        return clock;
    }

    public Ids ids() {
        return ids;
    }

    /** The WeCom callback's processing: record, welcome, tag, route, enqueue journey triggers. */
    /** The operator's assignment of a blueprint type to a customer group (./siyu groups assign). */
    public dev.siyu.core.group.GroupAssignment groupAssignment() {
        return new dev.siyu.core.group.GroupAssignment(config, ports.groups(), ports.wecom());
    }

    public CallbackProcessor callbacks() {
        return callbacks.get();
    }

    /** The journey engine: trigger starter, step runner, the outreach gate's front door. */
    public JourneyServices journeys() {
        return journeys.get();
    }

    /** The catalog's jobs, by name. */
    public Jobs jobs() {
        return jobs;
    }

    /** An operator's mass message through the gate to every customer it may reach. */
    public MassSend massSend() {
        return new MassSend(journeys().outreach, ports.snapshots(), ports.profiles(), ports.wecom(), ports.tenantLog(),
                config.timezone());
    }

    /** The staff sidebar's reads and writes (the chat toolbar page), sharing this engine's corp tag ids. */
    public dev.siyu.core.sidebar.StaffSidebar staffSidebar() {
        return new dev.siyu.core.sidebar.StaffSidebar(config, ports.customers(), ports.triggers(), corpTags,
                ports.wecom(), clock, ids);
    }

    /**
     * The staff desk: the 1-on-1 touches journeys left for staff to send from the sidebar. Built without the
     * journey engine (the callback function serves the sidebar and compiles no conditions).
     */
    public StaffDesk staffDesk() {
        Outreach outreach = new Outreach(new OutreachGate(config.guardrails(), config.timezone(),
                OutreachGate.OPENING_SPREAD), config.guardrails(), ports.counters(), decisions, config.timezone(), ids);
        return new StaffDesk(config, ports.desk(), ports.customers(), outreach, ids);
    }

    /** Writes the decision counts gathered since the last flush (see {@link #decisions}). */
    public void flushDecisions() {
        decisions.flush();
    }

    public TimerSweep sweep() {
        return sweep.get();
    }

    DailyRules dailyRules() {
        return new DailyRules(config, ports.profiles(), ports.customers(), ports.wecom(), corpTags, compiler(),
                journeys().starter, ChurnScorer.KEEP_STORED, ids);
    }

    /** The nightly scoring: scores written to profiles, the churn journey started from them. */
    public NightlyScoring nightlyScoring() {
        return new NightlyScoring(config, ports.profiles(), ports.customers(), journeys().starter, scorer, ports.snapshots());
    }

    /** The daily points expiry; skips (and says so) where the engine carries no points ledger. */
    public ScheduledJob pointsExpiry() {
        if (!members.present()) {
            return () -> new PointsExpiry.Summary(java.util.List.of(), 0, 0, 0,
                    "this function carries no points ledger");
        }
        PointsExpiry job = new PointsExpiry(config.tenant(), members.ledger(), new PointsRules(config.membership()),
                ports.customers(), members.details());
        return () -> job.run(clock.instant());
    }

    /** The models this engine scores with ({@link CustomerScorer#NONE} where none are packaged). */
    public CustomerScorer scorer() {
        return scorer;
    }

    GroupSop groupSop() {
        return new GroupSop(config, ports.groups(), ports.customers(), new OutreachGate(config.guardrails(),
                config.timezone(), OutreachGate.OPENING_SPREAD), ports.counters(), decisions, ports.tenantLog(), ports.wecom(), ids,
                GroupSop.SCHEDULED_LOOKBACK);
    }

    CommunityCare communityCare() {
        return new CommunityCare(config, ports.groups(), ports.customers(), ports.profiles(), journeys().outreach,
                ports.wecom(), corpTags, compiler(), ids, ports.tenantLog());
    }

    FreeloaderScan freeloaderScan() {
        return new FreeloaderScan(config, ports.profiles(), ports.customers(), ids);
    }

    Reconciler reconciler() {
        return new Reconciler(config, ports.tenantLog(), ports.customers(), ports.loads(), ports.wecom(), ports.triggers(),
                this::massSend, this::communityCare, corpTags, ids);
    }

    Offboarding offboarding() {
        return new Offboarding(config, ports.wecom(), ports.customers(), ports.profiles(), ports.loads(),
                ports.transfers(), ports.tenantLog(), ids,
                new dev.siyu.core.group.GroupHandover(config, ports.groups(), ports.wecom(), ports.tenantLog(), ids));
    }

    dev.siyu.core.staff.StaffDirectorySync staffDirectorySync() {
        return new dev.siyu.core.staff.StaffDirectorySync(config, ports.wecom(), ports.loads(), ports.tenantLog(), ids);
    }

    private CallbackProcessor buildCallbacks() {
        return new CallbackProcessor(config, ports.customers(), ports.tenantLog(),
                new ChannelDirectory(config, ports.channels()), new Rerouter(ports.loads(), ports.wecom(), new StaffRouter()),
                corpTags, ports.wecom(), ports.triggers(), clock, ids, settings.callbackIo(),
                new GroupSync(config, ports.groups(), ports.customers(), ports.tenantLog(), ports.wecom(), ports.triggers(),
                        ids));
    }

    private JourneyServices buildJourneys() {
        ConditionCompiler compiler = compiler();
        ConfigCatalog catalog = new ConfigCatalog(ports.configs(), new ConfigLoader(compiler), config.tenant(),
                configVersion, config);
        // The scheduler writes timers into the shards the sweep reads: one setting for both.
        StepScheduler scheduler = new StepScheduler(ports.steps(), ports.timers(), clock, settings.sweep().shards());
        return new JourneyServices(config, catalog, compiler, ports.customers(), ports.snapshots(), ports.runs(),
                ports.counters(), decisions, ports.groups(), ports.wecom(), scheduler, clock, ids, ports.loads(),
                ports.desk(), subscriptionMessages());
    }

    /** None where the stack has no Mini Program: a step would take a member's subscription it cannot send on. */
    private dev.siyu.core.outreach.SubscriptionMessages subscriptionMessages() {
        return ports.miniProgram() == dev.siyu.core.miniapp.MiniProgram.NONE ? null
                : new dev.siyu.core.outreach.SubscriptionMessages(config.miniapp(), ports.subscriptions(),
                ports.miniProgram(), config.timezone());
    }

    private TimerSweep buildSweep() {
        return new TimerSweep(ports.timers(), ports.steps(), clock, settings.sweep(), settings.sweepIo());
    }

    private ConditionCompiler compiler() {
        if (conditions == null) {
            throw new IllegalStateException("this engine was built without a condition compiler: journeys and "
                    + "scheduled jobs need one (shared/conditions)");
        }
        return conditions;
    }

    /** Built once, on first use, by whichever thread gets there first. */
    private static final class Lazy<T> {
        private final Supplier<T> build;
        private T value;

        Lazy(Supplier<T> build) {
            this.build = build;
        }

        synchronized T get() {
            if (value == null) {
                value = build.get();
            }
            return value;
        }
    }
}
