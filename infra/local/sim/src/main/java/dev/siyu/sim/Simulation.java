package dev.siyu.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.DaemonPools;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.JobCatalog;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.memory.CallLog;
import dev.siyu.memory.GroupChats;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.VirtualClock;
import dev.siyu.memory.faults.Faults;
import dev.siyu.memory.faults.InstanceCrash;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.sidebar.SidebarEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code ./siyu demo}'s engine: a synthetic population on a virtual clock, driven through the real
 * callback processing, the real journey engine and scheduled jobs, and whatever stores it is given
 * (DynamoDB Local on the demo's stack, memory in the benchmark). Customers arrive through the
 * channel codes, reply, purchase, join and leave groups, delete staff and withdraw consent; the
 * engine's touches come back as WeCom calls, and customers react to them.
 *
 * <p>With {@link Faults}, the engine's I/O fails as production's does, and the simulation delivers as
 * production would then: a journey message whose handling failed comes back after SQS's visibility
 * timeout and goes to the dead letters after 5 receives (redriven by the on-call operator at 09:30 every
 * day and once at the end); a callback that failed is retried by WeCom up to 3 times, then lost; a
 * scheduled job that failed is retried twice (Lambda's asynchronous retries, template.yaml); an
 * instance that crashed is replaced by a fresh {@link Engine} over the same ports, its memory gone.
 * After the window the queue and the timers run on for a day, so what is still pending at the end is
 * really waiting. The world's own actions (arrivals, group joins, the record) run without faults; the members'
 * Mini Program requests and the sources' orders go through the miniapp-api function's endpoints
 * ({@link MiniProgramMembers}), on the same faults as the engine.
 */
public final class Simulation {
    /**
     * @param historyDays the existing customer base (a quarter of the population) joined over this many days
     *                    before the window, so dormancy (30+ days) and churn risk show up in a 30-day run
     */
    public record Settings(int customers, int days, long seed, int historyDays) {
        /**
         * 40: by the end of a 30-day window the oldest customers are 70 days in, past dormancy (30 days
         * idle) and the churn warning (about 49 days idle), while the history costs a third less than 60.
         */
        public static final int DEFAULT_HISTORY_DAYS = 40;
        public static final double EXISTING_SHARE = 0.25;

        public Settings {
            if (customers < 1 || days < 1 || historyDays < 0) {
                throw new IllegalArgumentException("--customers and --days must be at least 1");
            }
        }

        public Settings(int customers, int days, long seed) {
            this(customers, days, seed, DEFAULT_HISTORY_DAYS);
        }
    }

    /**
     * WeCom retries a callback it got no success answer for within 5 s, three times in all: "服务器在五秒内收不到
     * 响应会断掉连接，并且重新发起请求，总共重试三次" (the WeChat callback rule WeCom's callbacks follow, e.g.
     * developers.weixin.qq.com/community/develop/doc/000c6cde734cc05249730c8e96b800; WeCom callbacks retried the
     * same way: developers.weixin.qq.com/community/enterprisewechat/doc/000e6a5c71c838e56cea529b851400).
     */
    static final int CALLBACK_RETRIES = 3;
    static final Duration CALLBACK_RETRY_AFTER = Duration.ofSeconds(5);
    /** template.yaml: the scheduler function's EventInvokeConfig and each schedule's RetryPolicy, 2 retries. */
    static final int JOB_RETRIES = 2;
    /** Lambda's asynchronous retries: about 1 minute before the second attempt, 2 before the third. */
    static final List<Duration> JOB_RETRY_AFTER = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));
    /** The on-call operator redrives the journey queue's dead letters every morning at this local time. */
    static final java.time.LocalTime REDRIVE_AT = java.time.LocalTime.of(9, 30);
    /** After the window, the queue and timers run on this long, so "pending" at the end means waiting. */
    static final Duration DRAIN = Duration.ofDays(1);

    private final ScrmConfig config;
    private final Settings settings;
    /** The stores as the world sees them: the simulation's own reads and the members' actions, no faults. */
    private final Ports ports;
    /** The same stores as the engine sees them: behind the faults. */
    private final Ports enginePorts;
    private final Faults faults;
    private final long configVersion;
    private final ConditionCompiler conditions;
    private final Engine.Settings engineSettings;
    private final Function<Engine, Consumer<WeComEvent>> deliveryFactory;
    private final DeadLetters deadLetters = new DeadLetters();
    /** Retries the platform makes of the engine's work (callbacks, jobs), apart from the world's plan. */
    private final PriorityQueue<Planned> retries = new PriorityQueue<>();
    private final Map<String, Long> redelivery = new java.util.TreeMap<>();
    private Instant nextRedrive;
    /** The first day whose adds were not read from the pools' counters yet. */
    private LocalDate nextAddsDay;
    /** pool -> staff -> day -> the adds the pool's counters held for that day when it was over. */
    private final Map<String, Map<String, Map<LocalDate, Long>>> addsByDay = new java.util.TreeMap<>();
    private final CallLog callLog;
    private final VirtualClock clock;
    private final Random random;
    private final VirtualStepQueue queue;
    private final MemoryTimerStore timers = new MemoryTimerStore();
    private Engine engine;
    /**
     * The trained scoring model outlives an engine instance (S3 in AWS), so a restarted instance scores with
     * the model the last training stored.
     */
    private final dev.siyu.analytics.profiles.ModelStore models = new dev.siyu.analytics.profiles.MemoryModelStore();
    private Consumer<WeComEvent> delivery;
    /**
     * The staff sidebar on the current instance's engine: simulated staff mark "customer replied" through it,
     * holding session tokens as the page does after WeCom's OAuth (the simulation signs them, as it signs callbacks).
     */
    private SidebarEndpoint sidebar;
    private final StaffSessions sidebarSessions;
    private long marks;
    private final Map<String, Long> onDemand = new java.util.TreeMap<>();
    /** What the scoring job's last training did (which model, or why it fell back to BG/NBD); null before one. */
    private String lastTraining;
    /** The simulated WeCom's customer groups, which the engine reads through groupchat/get. */
    private final GroupChats chats;
    /** The Mini Program members and the order sources, through the miniapp-api function's routes. */
    private final MiniProgramMembers members;
    private final PriorityQueue<Planned> plan = new PriorityQueue<>();
    private final Map<String, SimCustomer> byExternalId = new HashMap<>();
    private final List<ScheduledRun> jobs = new ArrayList<>();
    private final Map<StepRunner.Outcome, Long> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<CallLog.Call> calls = new ArrayList<>();
    private final Instant origin;
    private final Instant start;
    private final Instant end;
    private long seq;
    private final java.util.concurrent.atomic.AtomicLong stepsRun = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private java.util.concurrent.ExecutorService workers;
    private volatile boolean finished;
    private Map<String, List<TimelineEvent>> finalTimelines;
    private List<RunRecord> finalRuns;
    private Invariants.Recorded finalRecord;
    private List<ChannelCode> channelCodes = List.of();
    /** The staff working their desk (the sidebar's journey messages and staff tasks). */
    private final StaffAtDesk staffAtDesk;

    /**
     * @param ports    the stores and the WeCom API the engine runs on (its queues and timers are replaced by
     *                 ones on the virtual clock: SQS's DelaySeconds run on the wall clock)
     * @param calls    what the WeCom API was asked, for the customers' reactions and the record
     * @param delivery how a WeCom event reaches the engine: encrypted and signed through the callback
     *                 endpoint (the demo), or straight to the callback processor
     */
    public Simulation(ScrmConfig config, long configVersion, ConditionCompiler conditions, Ports ports, CallLog calls,
                      GroupChats chats, Settings settings, Instant start,
                      Function<Engine, Consumer<WeComEvent>> delivery, MemberWorld memberWorld) {
        this(config, configVersion, conditions, ports, calls, chats, settings, start, delivery, memberWorld,
                Faults.none());
    }

    /**
     * @param memberWorld what the miniapp-api function the members and order sources reach is built from
     * @param faults      injected into every port the engine uses (the stores, the queue, the timers, WeCom) and the
     *                    member function's own (ledger, member details, WeChat); with any, the simulation runs on
     *                    one thread so a seed gives one run
     */
    public Simulation(ScrmConfig config, long configVersion, ConditionCompiler conditions, Ports ports, CallLog calls,
                      GroupChats chats, Settings settings, Instant start,
                      Function<Engine, Consumer<WeComEvent>> delivery, MemberWorld memberWorld, Faults faults) {
        this.config = config;
        this.chats = chats;
        this.faults = faults;
        this.configVersion = configVersion;
        this.conditions = conditions;
        this.deliveryFactory = delivery;
        this.settings = settings;
        this.callLog = calls;
        this.start = start;
        this.origin = start.minus(Duration.ofDays(settings.historyDays()));
        this.end = start.plus(Duration.ofDays(settings.days()));
        this.clock = new VirtualClock(origin);
        this.random = new Random(settings.seed());
        this.queue = new VirtualStepQueue(clock, faults);
        // Subscription messages go to the same Mini Program the members sign in to.
        this.ports = ports.withQueues(queue, queue, timers).withMiniProgram(memberWorld.miniProgram());
        this.enginePorts = faults.wrap(this.ports);
        // Without faults the loop skips the minutes with nothing due, so the sweep catches up over the whole
        // run: virtual time never leaves a bucket behind for real. With faults it runs every minute, as in
        // AWS, with the function's own catch-up: one run reading days of buckets would fail on any fault.
        Duration catchUp = Duration.ofDays(settings.days() + settings.historyDays() + 2 + DRAIN.toDays());
        this.engineSettings = Engine.Settings.inline().withSweep(faults.enabled() ? TimerSweep.Settings.defaults()
                : new TimerSweep.Settings(TimerSweep.Settings.DEFAULT_SHARDS, catchUp))
                // Ids of its own seeded source (not the world's): one seed gives the same ids, owner tokens
                // and touch record ids, and so the same record, without shifting the world's draws.
                .withIds(new Ids(new Random(settings.seed() * 31 + 7)));
        this.sidebarSessions = new StaffSessions(SIDEBAR_KEY, clock);
        this.staffAtDesk = new StaffAtDesk(config, settings.seed() * 17 + 3);
        this.members = new MiniProgramMembers(config, memberWorld, faults, clock, random, settings.seed(),
                new StaffSessions(SIDEBAR_KEY, clock, StaffSessions.CHECK_IN), new MiniProgramMembers.Platform() {
                    @Override
                    public void retry(Instant at, Runnable action) {
                        Simulation.this.retry(at, action);
                    }

                    @Override
                    public void plan(Instant at, Runnable action) {
                        Simulation.this.plan(at, action);
                    }

                    @Override
                    public Instant later(int minHours, int maxHours) {
                        return Simulation.this.later(minHours, maxHours);
                    }

                    @Override
                    public void crashed() {
                        Simulation.this.crashed();
                    }
                });
        startInstance();
        for (JobCatalog.Job job : JobCatalog.jobs()) {
            jobs.add(new ScheduledRun(job));
        }
    }

    /**
     * A new instance of the functions: a fresh engine over the same ports, nothing of the last one's
     * memory (caches, decision counts not yet written) kept, as after a Lambda instance died.
     */
    private void startInstance() {
        engine = new Engine(enginePorts, config, configVersion, conditions, clock, engineSettings,
                // The booster when XGBoost's native library loads here; training still falls back to BG/NBD with fewer
                // than 100 customers of either class (the report says which model scored).
                new dev.siyu.analytics.profiles.ProfileScoring(BOOSTER_LOADS ? new dev.siyu.analytics.xgboost.XgboostLearner(line -> { })
                        : null, models, line -> { }), members.stores());
        delivery = deliveryFactory.apply(engine);
        Engine current = engine;
        sidebar = new SidebarEndpoint(() -> current, sidebarSessions, new SidebarEndpoint.App("sim-corp",
                1000002), clock);
        members.onInstance(engine);
    }

    /** Whether XGBoost's native library loads in this process: checked once, it does not change during a run. */
    private static final boolean BOOSTER_LOADS = dev.siyu.analytics.xgboost.XgboostLearner.nativeLibraryLoads();

    /** The simulation's sidebar session key: it stands in for the deployment's secret. */
    private static final byte[] SIDEBAR_KEY = "siyu-simulation-sidebar-key-0032".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private void crashed() {
        redelivery.merge("instance_restarts", 1L, Long::sum);
        startInstance();
    }

    public VirtualClock clock() {
        return clock;
    }

    public Engine engine() {
        return engine;
    }

    /** Creates the channel codes and groups, then plans arrivals and the operator's mass messages. */
    public void setUp(List<GroupStore.Group> groups) {
        channelCodes = new ChannelCodeProvisioner(ports.wecom(), ports.channels(), ports.loads(), new StaffRouter(), clock)
                .provision(config);
        // Staff create the groups in WeCom; the engine hears of each from its change_external_chat callback and
        // types it by the blueprint's rules. A group no rule takes, the operator assigns (./siyu groups assign).
        for (GroupStore.Group g : groups) {
            chats.create(g.chatId(), g.name(), g.owner());
            callback(new WeComEvent.ChatCreated(g.chatId(), clock.instant()), 0);
            plan(clock.instant().plus(Duration.ofHours(1)), () -> assignIfUntyped(g));
        }
        Duration arrivalWindow = Duration.ofMinutes(Math.max(1, settings.days() * 24 * 60 * 7 / 10));
        long historyMinutes = Duration.between(origin, start).toMinutes();
        for (int i = 0; i < settings.customers(); i++) {
            Population.Profile channel = Population.pick(random);
            boolean existing = historyMinutes > 0 && random.nextDouble() < Settings.EXISTING_SHARE;
            Instant at = existing
                    ? daytime(origin.plus(Duration.ofMinutes((long) (random.nextDouble() * historyMinutes))))
                    : daytime(start.plus(Duration.ofMinutes((long) (random.nextDouble() * arrivalWindow.toMinutes()))));
            // Log-normal spend: most near the channel's average, about one in twenty three times it or more.
            double spend = Math.exp(random.nextGaussian() * 0.65);
            SimCustomer c = new SimCustomer("wmsim" + settings.seed() + "x" + i, channel, spend);
            plan(at, () -> arrive(c));
        }
        // The operator's mass messages: value and promotional in turn, five of them spread over the
        // calendar month the window covers most, so the monthly cap of 4 must drop the fifth for everyone
        // who got the other four, whatever day the demo runs.
        List<Campaign> campaigns = List.of(
                new Campaign(10, "tips_1", "This week's skincare tip: how to layer serum and cream.", ContentClass.VALUE),
                new Campaign(10, "picks_1", "This week's picks: new arrivals at member prices in the Mini Program.", ContentClass.PROMOTIONAL),
                new Campaign(10, "tips_2", "This week's tip: choosing sunscreen for winter.", ContentClass.VALUE),
                new Campaign(10, "tips_3", "This week's tip: a 5-minute evening routine.", ContentClass.VALUE),
                new Campaign(15, "month_end_guide", "Month-end care guide: what to restock before winter.", ContentClass.VALUE));
        LocalDate[] month = busiestMonth();
        long span = java.time.temporal.ChronoUnit.DAYS.between(month[0], month[1]);
        for (int i = 0; i < campaigns.size(); i++) {
            Campaign c = campaigns.get(i);
            LocalDate day = month[0].plusDays(span * i / campaigns.size());
            // Half a minute past the hour: the members' adds and deletes fall on whole minutes, and a delete at the
            // very instant of a send is a race no gate can see (the send was decided before the delete existed).
            Instant at = day.atTime(c.hour(), 0, 30).atZone(config.timezone()).toInstant();
            if (!at.isBefore(start) && at.isBefore(end)) {
                plan(at, () -> operatorSend(c, 0));
            }
        }
        for (ScheduledRun j : jobs) {
            j.next = j.job.schedule().nextAfter(origin, config.timezone());
        }
        planDeskRound(config.guardrails().businessHours().openAtOrAfter(origin, config.timezone()));
    }

    /** The staff look at their desk every half hour of business hours, up to the end of the window. */
    private void planDeskRound(Instant at) {
        if (!at.isBefore(end)) {
            return;
        }
        plan(at, () -> {
            deskRound();
            planDeskRound(config.guardrails().businessHours().openAtOrAfter(at.plus(StaffAtDesk.LOOK_EVERY),
                    config.timezone()));
        });
    }

    /** One look at the desks, each click through the sidebar's route; a failed look is simply the next one. */
    private void deskRound() {
        try {
            staffAtDesk.work(engine.staffDesk(), this::sidebarClick, clock.instant()).forEach(this::reactToDeskMessage);
        } catch (RuntimeException e) {
            redelivery.merge("desk_rounds_failed", 1L, Long::sum);
        } catch (InstanceCrash e) {
            crashed();
        }
    }

    /** A customer reads the staff member's own message as they read a message task (see {@link #react}). */
    private void reactToDeskMessage(dev.siyu.core.desk.DeskTask task) {
        SimCustomer c = byExternalId.get(task.externalUserId());
        if (c == null || c.gone) {
            return;
        }
        boolean card = task.attachments().stream().anyMatch(a -> "miniprogram".equals(a.kind()));
        if (random.nextDouble() < (card ? 0.18 : 0.10)) {
            plan(later(1, 48), () -> purchase(c));
        } else if (random.nextDouble() < 0.15) {
            plan(later(0, 6), () -> reply(c));
        }
    }

    /** The Mini Program members and order sources, for the report. */
    MiniProgramMembers members() {
        return members;
    }

    /**
     * WeCom contacts whose customer at the end is not the one their callback first named: joined to or merged into
     * the member's Mini Program customer (see {@link #followMerges}).
     */
    long contactsOnMemberCustomer() {
        return contactsOnMemberCustomer;
    }

    private long contactsOnMemberCustomer;

    /** Desk tasks the desk refused to mark sent (a red line crossed since the task was made). */
    public long deskRefusals() {
        return staffAtDesk.refused();
    }

    /**
     * Runs to the end, calling progress once per simulated day; then redrives the dead letters and
     * runs the queue, the timers and the reconciler on for {@link #DRAIN}, with no new arrivals, actions or daily
     * jobs.
     */
    public void run(Consumer<Progress> progress) {
        nextRedrive = nextRedriveAfter(origin);
        nextAddsDay = origin.atZone(config.timezone()).toLocalDate();
        Instant[] nextDay = {origin.plus(Duration.ofDays(1))};
        advance(end, false, next -> {
            while (!next.isBefore(nextDay[0])) {
                progress.accept(progress(nextDay[0]));
                nextDay[0] = nextDay[0].plus(Duration.ofDays(1));
            }
        });
        clock.set(end);
        if (!nextDay[0].isAfter(end)) {
            // The last day's line, unless the loop already printed it on reaching the end.
            progress.accept(progress(end));
        }
        redriveDeadLetters();
        advance(end.plus(DRAIN), true, next -> { });
        if (workers != null) {
            workers.shutdown();
        }
        // The run is over: what follows reads its results, which are not the engine's I/O.
        faults.stop();
        followMerges();
        finished = true;
    }

    /**
     * The customer each WeCom contact is at the end. Usually the one its callback created (wx-...); but a member who
     * signed in while the contact's callback was still being retried is the Mini Program's customer first, and the
     * callback joins the contact to it (UnionID first, an external_userid alias), and a contact whose unionid was
     * not known at first (the contact detail failed) is merged into the member's customer by the repair
     * (ProfileMerge, which leaves the WeCom history, its journey runs and touch records on the absorbed profile).
     * The report and the record follow the person to the customer that stands for them now, and read what the
     * absorbed profiles hold as theirs.
     */
    private void followMerges() {
        for (SimCustomer c : byExternalId.values()) {
            java.util.Set<String> ids = new java.util.LinkedHashSet<>();
            if (ports.customers().profile(config.tenant(), c.customerId).isPresent()) {
                ids.add(c.customerId);
            }
            String id = ports.customers().customerIdFor(config.tenant(), dev.siyu.core.profile.IdentityType.EXTERNAL_USERID,
                    c.externalUserId).orElse(c.customerId);
            for (int hops = 0; hops < 8; hops++) {
                Optional<CustomerProfile> p = ports.customers().profile(config.tenant(), id);
                p.ifPresent(x -> ids.add(x.customerId()));
                if (p.isEmpty() || p.get().mergedInto().isEmpty()) {
                    break;
                }
                id = p.get().mergedInto().get();
            }
            if (!id.equals(c.customerId)) {
                contactsOnMemberCustomer++;
                c.customerId = id;
            }
            ids.remove(id);
            c.absorbed = List.copyOf(ids);
        }
    }

    /** The loop: every moment something is due, up to until. */
    private void advance(Instant until, boolean draining, Consumer<Instant> beforeMoment) {
        while (true) {
            Instant next = nextMoment(draining);
            if (next == null || next.isAfter(until)) {
                break;
            }
            beforeMoment.accept(next);
            sampleAddsBefore(next);
            clock.set(next.isBefore(clock.instant()) ? clock.instant() : next);
            Instant now = clock.instant();
            while (!draining && !plan.isEmpty() && !plan.peek().at().isAfter(now)) {
                plan.poll().action().run();
            }
            while (!retries.isEmpty() && !retries.peek().at().isAfter(now)) {
                retries.poll().action().run();
            }
            if (!now.isBefore(nextRedrive)) {
                redriveDeadLetters();
                nextRedrive = nextRedriveAfter(now);
            }
            for (ScheduledRun j : jobs) {
                if (draining && !runsWhileDraining(j.job.name())) {
                    continue;
                }
                if (!j.next.isAfter(now)) {
                    runJob(j.job.name(), 0);
                    j.next = j.job.schedule().nextAfter(now, config.timezone());
                }
            }
            drainQueue();
            // Mass sends and community invites count through the engine's gate as well.
            flushDecisions();
            react();
        }
    }

    private Instant nextRedriveAfter(Instant t) {
        ZonedDateTime z = t.atZone(config.timezone());
        ZonedDateTime at = z.with(REDRIVE_AT);
        return (at.isAfter(z) ? at : at.plusDays(1)).toInstant();
    }

    private void redriveDeadLetters() {
        int n = deadLetters.redrive(queue);
        if (n > 0) {
            redelivery.merge("dead_letters_redriven", (long) n, Long::sum);
        }
    }

    /** A scheduled job's run; one that failed is retried as Lambda's asynchronous invocation does. */
    private void runJob(String job, int attempt) {
        Runnable again = () -> runJob(job, attempt + 1);
        try {
            dev.siyu.core.engine.JobSummary summary = engine.jobs().run(job);
            Object trained = summary.result().get("trained");
            // Only a run that trained (train-churn's due, or the admin's training) says what the last training did.
            if (trained != null && !dev.siyu.core.schedule.NightlyScoring.NOT_TRAINED.equals(trained)
                    && !Boolean.FALSE.equals(summary.result().get("due"))) {
                lastTraining = java.time.LocalDate.ofInstant(clock.instant(), config.timezone()) + ": " + trained;
            }
        } catch (RuntimeException e) {
            jobFailed(attempt, again);
        } catch (InstanceCrash e) {
            crashed();
            jobFailed(attempt, again);
        }
    }

    /**
     * The operator's mass message, sent from the console: a send that failed is tried again like a
     * job's run (the operator, or the console's own retries, would), with the same campaign and day.
     */
    private void operatorSend(Campaign c, int attempt) {
        Runnable again = () -> operatorSend(c, attempt + 1);
        try {
            engine.massSend().send(config.tenant(), c.name(), c.text(), c.content(), clock.instant());
        } catch (RuntimeException e) {
            jobFailed(attempt, again);
        } catch (InstanceCrash e) {
            crashed();
            jobFailed(attempt, again);
        }
    }

    private void jobFailed(int attempt, Runnable again) {
        if (attempt < JOB_RETRIES) {
            redelivery.merge("jobs_retried", 1L, Long::sum);
            retry(clock.instant().plus(JOB_RETRY_AFTER.get(attempt)), again);
        } else {
            redelivery.merge("jobs_given_up", 1L, Long::sum);
        }
    }

    /** A WeCom event through the callback; one whose processing failed is sent again by WeCom, up to 3 times. */
    private void callback(WeComEvent event, int attempt) {
        try {
            delivery.accept(event);
            return;
        } catch (RuntimeException e) {
            // WeCom saw no success answer (a 500, or none within 5 s)
        } catch (InstanceCrash e) {
            crashed();
        }
        if (attempt < CALLBACK_RETRIES) {
            redelivery.merge("callbacks_retried", 1L, Long::sum);
            retry(clock.instant().plus(CALLBACK_RETRY_AFTER), () -> callback(event, attempt + 1));
        } else {
            redelivery.merge("callbacks_given_up", 1L, Long::sum);
        }
    }

    private void retry(Instant at, Runnable action) {
        retries.add(new Planned(at, seq++, action));
    }

    /** The engine's batch of decision counts; a flush that failed keeps them for the next one. */
    private void flushDecisions() {
        try {
            engine.flushDecisions();
        } catch (RuntimeException e) {
            redelivery.merge("decision_flushes_failed", 1L, Long::sum);
        } catch (InstanceCrash e) {
            crashed();
        }
    }

    /** day counts from the window's start; negative in the existing base's history. */
    public record Progress(Instant at, int day, int arrived, long stepsRun, long queued) { }

    private Progress progress(Instant at) {
        int day = (int) Math.floorDiv(Duration.between(start, at).toMinutes(), 24 * 60);
        return new Progress(at, day, byExternalId.size(), stepsRun.get(), queue.sent());
    }

    private Instant nextMoment(boolean draining) {
        Instant next = null;
        if (!draining && !plan.isEmpty()) {
            next = plan.peek().at();
        }
        if (!retries.isEmpty()) {
            next = min(next, retries.peek().at());
        }
        if (!deadLetters.isEmpty()) {
            next = min(next, nextRedrive);
        }
        next = min(next, queue.nextVisible().orElse(null));
        Optional<Instant> earliestTimer = timers.earliest();
        for (ScheduledRun j : jobs) {
            if (!draining || runsWhileDraining(j.job.name())) {
                // With faults, the sweep runs every minute as EventBridge runs it: skipped minutes would
                // make one run read hours of buckets at once, where one fault fails them all.
                next = min(next, faults.enabled() ? j.next : j.nextUseful(earliestTimer, config.timezone()));
            }
        }
        return next;
    }

    /**
     * The jobs that keep running after the window: the timer sweep, and the reconciler, which finishes what
     * failed (a trigger never handed off, a campaign whose retries all failed) as it would the next hour.
     */
    private static boolean runsWhileDraining(String job) {
        return job.equals(JobCatalog.SWEEP_TIMERS) || job.equals(JobCatalog.RECONCILE);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /**
     * Delivers every visible message, as the worker's SQS batches would. With more than one worker,
     * customers are handled side by side (each customer's messages in order, as a FIFO group would):
     * the local stack's table round trips, not the CPU, bound the demo.
     */
    private void drainQueue() {
        List<VirtualStepQueue.Message> visible;
        while (!(visible = queue.receiveVisible()).isEmpty()) {
            if (workers == null) {
                visible.forEach(this::deliver);
                continue;
            }
            Map<String, List<VirtualStepQueue.Message>> byCustomer = new java.util.LinkedHashMap<>();
            for (VirtualStepQueue.Message m : visible) {
                String customer = m.step() != null ? m.step().customerId() : m.trigger().customerId();
                byCustomer.computeIfAbsent(customer, k -> new ArrayList<>()).add(m);
            }
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (List<VirtualStepQueue.Message> messages : byCustomer.values()) {
                running.add(workers.submit(() -> messages.forEach(this::deliver)));
            }
            for (java.util.concurrent.Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            flushDecisions();
        }
    }

    private void deliver(VirtualStepQueue.Message m) {
        Engine handler = engine;
        try {
            if (m.step() != null) {
                StepRunner.Outcome o = handler.journeys().steps.run(m.step());
                outcomes.merge(o, 1L, Long::sum);
                stepsRun.incrementAndGet();
            } else {
                handler.journeys().starter.onEvent(m.trigger());
            }
            return;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
        } catch (InstanceCrash e) {
            failures.incrementAndGet();
            synchronized (this) {
                // Once per instance: another worker's message may have seen the same one die.
                if (engine == handler) {
                    crashed();
                }
            }
        }
        // As SQS would: the message comes back after the visibility timeout, or goes to the dead letters.
        if (queue.failed(m, deadLetters)) {
            synchronized (redelivery) {
                redelivery.merge("dead_lettered", 1L, Long::sum);
            }
        }
    }

    /**
     * Handles customers on this many threads (1: all on the caller's). Call before {@link #run}. With
     * faults, always 1: the faults are drawn in call order, which threads would make a race.
     */
    public void parallelism(int threads) {
        if (threads > 1 && !faults.enabled()) {
            workers = DaemonPools.fixed("sim-worker", threads);
        }
    }

    /** Customers react to what reached them: invites are accepted, coupons and messages lead to replies and purchases. */
    private void react() {
        for (CallLog.Call call : callLog.drain()) {
            calls.add(call);
            if (!call.succeeded() || !"externalcontact/add_msg_template".equals(call.api())
                    || !"single".equals(call.body().path("chat_type").asText())) {
                continue;
            }
            String link = call.body().path("attachments").path(0).path("link").path("url").asText("");
            boolean coupon = call.body().path("attachments").path(0).path("msgtype").asText("").equals("miniprogram");
            for (JsonNode id : call.body().path("external_userid")) {
                SimCustomer c = byExternalId.get(id.asText());
                if (c == null || c.gone) {
                    continue;
                }
                String chatId = link.isEmpty() ? null : chats.chatOfQr(link);
                if (chatId != null) {
                    if (random.nextDouble() < c.channel.joinOnInvite()) {
                        plan(later(1, 12), () -> joinGroup(c, chatId));
                    }
                } else if (random.nextDouble() < (coupon ? 0.18 : 0.10)) {
                    plan(later(1, 48), () -> purchase(c));
                } else if (random.nextDouble() < 0.15) {
                    plan(later(0, 6), () -> reply(c));
                }
                if (coupon && c.member != null && random.nextDouble() < 0.4) {
                    // The coupon is a Mini Program card: a member opens it and looks at the product.
                    plan(later(0, 12), () -> members.visit(c.member, true));
                }
            }
        }
    }

    private Instant later(int minHours, int maxHours) {
        long minutes = (long) ((minHours + random.nextDouble() * (maxHours - minHours)) * 60);
        return daytime(clock.instant().plus(Duration.ofMinutes(Math.max(1, minutes))));
    }

    /** People act between 08:00 and 23:00 local; a time at night moves to the next morning. */
    private Instant daytime(Instant at) {
        ZonedDateTime z = at.atZone(config.timezone());
        if (z.getHour() < 8) {
            return z.withHour(8).plusMinutes(random.nextInt(120)).toInstant();
        }
        if (z.getHour() >= 23) {
            return z.plusDays(1).withHour(8).withMinute(0).plusMinutes(random.nextInt(120)).toInstant();
        }
        return at;
    }

    private void plan(Instant at, Runnable action) {
        plan.add(new Planned(at, seq++, action));
    }

    private void arrive(SimCustomer c) {
        Optional<ChannelCode> code = channelCodes.stream().filter(k -> k.state().equals(c.channel.state())).findFirst();
        if (code.isEmpty()) {
            return;
        }
        ChannelCode current = ports.channels().byState(config.tenant(), code.get().state()).orElse(code.get());
        String staff = current.staff().get(random.nextInt(current.staff().size()));
        c.staff = staff;
        byExternalId.put(c.externalUserId, c);
        Instant now = clock.instant();
        if (random.nextDouble() < c.channel.miniProgram()) {
            // A Mini Program member: WeCom knows their unionid before it tells the suite of the contact.
            c.member = members.enroll(c.externalUserId);
        }
        // WeCom's side learns the code with the event: it takes one welcome within 20 seconds
        callLog.welcomeCodeIssued("WELCOME-" + c.externalUserId, now);
        callback(new WeComEvent.ContactAdded(staff, c.externalUserId, c.channel.state(), "WELCOME-" + c.externalUserId,
                false, now), 0);
        c.customerId = ports.customers().profile(config.tenant(), "wx-" + c.externalUserId).map(CustomerProfile::customerId)
                .orElse("wx-" + c.externalUserId);
        Instant horizon = end;
        if (c.member != null) {
            // The welcome carries the Mini Program's card: within half an hour the member opens it, signs in and
            // decides on consent. (Not at the callback's very instant: a sign-in racing the contact's callback
            // retries, when WeCom's contact detail failed, leaves the contact merged into the member's customer
            // before its activation journey starts, and the person never gets it; see docs/local.md.)
            boolean marketing = random.nextDouble() < c.channel.consent();
            plan(now.plus(Duration.ofMinutes(1 + random.nextInt(30))), () -> members.signUp(c.member, marketing));
            planVisits(c, now.plus(Duration.ofHours(1)), horizon);
        }
        if (random.nextDouble() < c.channel.reply()) {
            plan(later(0, 30), () -> reply(c));
        }
        // Purchases as a Poisson process over the window.
        Instant t = now;
        while (true) {
            double days = -Math.log(1 - random.nextDouble()) / c.channel.purchasePerDay();
            t = t.plus(Duration.ofMinutes((long) (days * 24 * 60)));
            if (t.isAfter(horizon)) {
                break;
            }
            plan(daytime(t), () -> purchase(c));
        }
        if (random.nextDouble() < c.channel.deleteStaff()) {
            plan(randomBetween(now, horizon), () -> deleteStaff(c));
        }
        if (c.member != null && random.nextDouble() < c.channel.withdrawConsent()) {
            plan(randomBetween(now, horizon), () -> members.withdrawMarketing(c.member));
        }
    }

    /** A member's visits to the Mini Program, a Poisson process over the window. */
    private void planVisits(SimCustomer c, Instant from, Instant horizon) {
        Instant t = from;
        while (true) {
            double days = -Math.log(1 - random.nextDouble()) / Population.MINI_PROGRAM_VISITS_PER_DAY;
            t = t.plus(Duration.ofMinutes((long) (days * 24 * 60)));
            if (t.isAfter(horizon)) {
                return;
            }
            plan(daytime(t), () -> members.visit(c.member, false));
        }
    }

    private Instant randomBetween(Instant from, Instant to) {
        long span = Math.max(1, Duration.between(from, to).toMinutes());
        return daytime(from.plus(Duration.ofMinutes((long) (random.nextDouble() * span))));
    }

    /**
     * The customer writes back; their advisor sees it in the chat and presses "customer replied" in the sidebar,
     * the production entry point of the reply signal journeys and dormancy read.
     */
    private void reply(SimCustomer c) {
        if (c.gone) {
            return;
        }
        if (c.staff == null) {
            // No advisor to see it: nothing records a reply in production either.
            return;
        }
        markReplied(c, "sim-reply-" + (++marks), 0);
    }

    /** A POST in the staff member's sidebar; a crashed instance answers as the gateway would, 502. */
    private int sidebarClick(String staffUserId, String route) {
        try {
            return sidebar.handle(new SidebarEndpoint.Request("POST", SidebarEndpoint.API + route, Map.of(),
                    Map.of("Authorization", "Bearer " + sidebarSessions.issue(config.tenant(), staffUserId)), "{}",
                    false)).status();
        } catch (InstanceCrash e) {
            crashed();
            return 502;
        }
    }

    /** One click; a failed one (a 500, a crashed instance, a claim in progress) is clicked again, same request id. */
    private void markReplied(SimCustomer c, String requestId, int attempt) {
        int status;
        try {
            status = sidebar.handle(new SidebarEndpoint.Request("POST", SidebarEndpoint.API + "marks", Map.of(),
                    Map.of("Authorization", "Bearer " + sidebarSessions.issue(config.tenant(), c.staff)),
                    "{\"external_userid\":\"" + c.externalUserId + "\",\"mark\":\"replied\",\"request_id\":\""
                            + requestId + "\"}", false)).status();
        } catch (InstanceCrash e) {
            crashed();
            status = 500;
        }
        // 403/404: no longer this staff member's contact (deleted meanwhile): there is nothing to mark.
        if (status < 500 && status != 409) {
            // Not in faulted runs: their guardrail seeds keep the fault sequence they were checked with (with card
            // scoring, seed 3 of FaultedSimulationTest showed one contact_added without an activation run: open).
            if (status < 300 && !faults.enabled()) {
                scoreOnCard(c);
            }
            return;
        }
        if (attempt < CALLBACK_RETRIES) {
            redelivery.merge("sidebar_marks_retried", 1L, Long::sum);
            retry(clock.instant().plus(CALLBACK_RETRY_AFTER), () -> markReplied(c, requestId, attempt + 1));
        } else {
            redelivery.merge("sidebar_marks_given_up", 1L, Long::sum);
        }
    }

    /**
     * The customer card the advisor has open asks for a fresh score through the scoring function's entry point
     * ({@code {"customerId"}}: {@code NightlyScoring.scoreOne}), which writes changed scores and starts the churn
     * journey above its threshold. Before the tenant's first nightly training there is no model and nothing is scored.
     */
    private void scoreOnCard(SimCustomer c) {
        try {
            engine.nightlyScoring().scoreOne(c.customerId, clock.instant()).ifPresent(one -> {
                if (one.scores() == null || one.churn() == null || one.scores().scoredAt() == null) {
                    return;
                }
                onDemand.merge("scored", 1L, Long::sum);
                onDemand.merge("model_" + one.scores().model(), 1L, Long::sum);
                if (one.churn() > engine.nightlyScoring().threshold().orElse(1.0)) {
                    onDemand.merge("above_threshold", 1L, Long::sum);
                }
                onDemand.merge("journeys_started", (long) one.journeysStarted().size(), Long::sum);
            });
        } catch (InstanceCrash e) {
            crashed();
            onDemand.merge("failed", 1L, Long::sum);
        } catch (RuntimeException e) {
            // The card shows the last stored scores; the night scores everyone again.
            onDemand.merge("failed", 1L, Long::sum);
        }
    }

    /** What the nightly scoring's last training said: the booster's holdout AUC, or why churn fell back to BG/NBD. */
    public java.util.Optional<String> lastTraining() {
        return java.util.Optional.ofNullable(lastTraining);
    }

    /** On-demand scoring from the customer cards: scored, above_threshold, journeys_started, model_*, failed. */
    public Map<String, Long> onDemandScoring() {
        return Map.copyOf(onDemand);
    }

    private void purchase(SimCustomer c) {
        if (c.gone) {
            return;
        }
        double amount = Math.round(c.channel.averageOrder() * c.spend * (0.5 + random.nextDouble()) * 100) / 100.0;
        String category = Population.CATEGORIES.get(random.nextInt(Population.CATEGORIES.size()));
        // In-store customers buy at their store's till, the others in the web shop.
        String store = c.channel.state().startsWith(IN_STORE) ? c.channel.state().substring(IN_STORE.length()) : null;
        if (store != null && c.member != null && random.nextDouble() < 0.7) {
            // At the till the member shows the member code and their advisor checks them in.
            members.visitStore(c.member, c.staff, store);
        }
        members.purchase(c.externalUserId, c.member, store, amount, category);
    }

    private static final String IN_STORE = "in_store.";

    /** The operator's part: a group the blueprint's rules left untyped gets the type it was created for. */
    private void assignIfUntyped(GroupStore.Group g) {
        Optional<GroupStore.Group> stored = faults.without(() -> ports.groups().group(config.tenant(), g.chatId()));
        if (stored.isPresent() && stored.get().groupType() == null && g.groupType() != null) {
            new dev.siyu.core.group.GroupAssignment(config, ports.groups(), ports.wecom()).assign(g.chatId(), g.groupType());
        }
    }

    /** The customer scans the invite's QR code and is in the group; WeCom tells the engine with a callback. */
    private void joinGroup(SimCustomer c, String chatId) {
        if (c.gone || c.groups.contains(chatId)) {
            return;
        }
        c.groups.add(chatId);
        chats.join(chatId, c.externalUserId, 3);
        callback(new WeComEvent.ChatUpdated(chatId, "add_member", 3, 0, 1, List.of(c.externalUserId),
                clock.instant()), 0);
        if (random.nextDouble() < c.channel.leaveGroup()) {
            plan(randomBetween(clock.instant(), end), () -> {
                if (c.groups.remove(chatId)) {
                    chats.leave(chatId, c.externalUserId);
                    callback(new WeComEvent.ChatUpdated(chatId, "del_member", 0, 0, 1, List.of(c.externalUserId),
                            clock.instant()), 0);
                }
            });
        }
    }

    private void deleteStaff(SimCustomer c) {
        if (c.gone || c.staff == null) {
            return;
        }
        c.gone = true;
        callback(new WeComEvent.FollowUserDeleted(c.staff, c.externalUserId, clock.instant()), 0);
    }

    // ---- results ----

    /** The faults injected into the engine's I/O. */
    public Faults faults() {
        return faults;
    }

    /**
     * How the platform redelivered the engine's failed work: callbacks retried and given up, jobs
     * retried and given up, messages dead-lettered and redriven, dead letters left at the end, instances
     * restarted after a crash. Every key is present, 0 when it never happened.
     */
    public Map<String, Long> redelivery() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String k : List.of("callbacks_retried", "callbacks_given_up", "jobs_retried", "jobs_given_up",
                "dead_lettered", "dead_letters_redriven", "decision_flushes_failed", "instance_restarts")) {
            out.put(k, redelivery.getOrDefault(k, 0L));
        }
        out.put("dead_letters_at_end", (long) deadLetters.messages().size());
        out.put("messages_failed", failures.get());
        return out;
    }

    /**
     * Every journey run of every simulated customer at the end, with where its next step waits: on the
     * queue (visible, in flight after a failure, delayed, or among the dead letters, which the operator
     * redrives), in a timer, or nowhere.
     */
    public List<RunRecord> runs() {
        if (finalRuns != null) {
            return finalRuns;
        }
        java.util.Set<String> queued = new java.util.HashSet<>();
        List<VirtualStepQueue.Message> onQueue = new ArrayList<>(queue.waiting());
        onQueue.addAll(deadLetters.messages());
        for (VirtualStepQueue.Message m : onQueue) {
            if (m.step() != null) {
                queued.add(runKey(m.step().customerId(), m.step().journey(), m.step().runId()));
            }
        }
        java.util.Set<String> timed = new java.util.HashSet<>();
        for (dev.siyu.core.timer.Timer t : timers.all()) {
            timed.add(runKey(t.step().customerId(), t.step().journey(), t.step().runId()));
        }
        List<RunRecord> out = new ArrayList<>();
        Map<String, SimCustomer> people = new java.util.TreeMap<>();
        byExternalId.values().forEach(c -> people.put(c.customerId, c));
        for (SimCustomer c : people.values()) {
            for (String id : c.allIds()) {
                for (dev.siyu.core.journey.JourneyRun r : ports.runs().runs(config.tenant(), id)) {
                    String key = runKey(r.customerId(), r.journey(), r.runId());
                    String pending = queued.contains(key) ? RunRecord.QUEUE : timed.contains(key) ? RunRecord.TIMER : RunRecord.NONE;
                    // Recorded under the person's customer: a run of a profile merged away since was theirs.
                    out.add(new RunRecord(c.customerId, c.externalUserId, r.journey(), r.runId(), RunRecord.status(r),
                            pending, r.startedAt()));
                }
            }
        }
        if (finished) {
            finalRuns = List.copyOf(out);
        }
        return out;
    }

    /** The journeys a contact_added starts: the ones whose trigger is that event with no further condition. */
    public java.util.Set<String> activationJourneys() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (dev.siyu.core.journey.Journey j : config.journeys()) {
            if (j.trigger().firesOn("contact_added") && j.trigger().condition() == null) {
                out.add(j.name());
            }
        }
        return out;
    }

    /**
     * The gate's touch records of every simulated customer at the end (what its caps count), by
     * external_userid: the counters to check against the record.
     */
    public Map<String, List<dev.siyu.core.port.TouchRecord>> touchRecords() {
        Map<String, List<dev.siyu.core.port.TouchRecord>> out = new java.util.TreeMap<>();
        // What the caps count: a record cancelled after WeCom refused the send holds no slot (holdsSlot).
        for (SimCustomer c : byExternalId.values()) {
            List<dev.siyu.core.port.TouchRecord> all = new ArrayList<>();
            for (String id : c.allIds()) {
                ports.counters().touches(config.tenant(), id).stream().filter(dev.siyu.core.port.TouchRecord::holdsSlot)
                        .forEach(all::add);
            }
            out.put(c.externalUserId, all);
        }
        return out;
    }

    /** The record of the run, what the invariants are computed from (read once the run is over). */
    public Invariants.Recorded recorded() {
        if (finalRecord != null) {
            return finalRecord;
        }
        Invariants.Recorded r = new Invariants.Recorded(calls(), timelines(), customerIds(), runs(), activationJourneys(),
                touchRecords(), poolLoads(), poolsByState());
        if (finished) {
            finalRecord = r;
        }
        return r;
    }

    /** Which routing pool each channel code's state counts its adds in. */
    public Map<String, String> poolsByState() {
        Map<String, String> out = new java.util.TreeMap<>();
        channelCodes.forEach(c -> out.put(c.state(), c.pool()));
        return out;
    }

    /**
     * The routing pools' counters at the end, per pool and staff member: active customers, and adds on
     * each day from the existing base's first day to the end of the drain.
     */
    public List<PoolLoadRecord> poolLoads() {
        if (finished) {
            sampleAddsBefore(clock.instant().plus(Duration.ofDays(1)));
        }
        List<PoolLoadRecord> out = new ArrayList<>();
        LocalDate last = clock.instant().atZone(config.timezone()).toLocalDate();
        for (String pool : new java.util.TreeSet<>(poolsByState().values())) {
            Map<String, Long> active = new java.util.TreeMap<>(ports.loads().load(config.tenant(), pool, last).activeCustomers());
            Map<String, Map<LocalDate, Long>> adds = addsByDay.getOrDefault(pool, Map.of());
            java.util.Set<String> staff = new java.util.TreeSet<>(active.keySet());
            staff.addAll(adds.keySet());
            for (String member : staff) {
                out.add(new PoolLoadRecord(pool, member, active.getOrDefault(member, 0L), adds.getOrDefault(member, Map.of())));
            }
        }
        return out;
    }

    /**
     * Reads each finished day's adds from the pools' counters before the moment's work: the table keeps a
     * day's adds only until a later day's add prunes them, so they are read while still there.
     */
    private void sampleAddsBefore(Instant moment) {
        if (nextAddsDay == null) {
            return;
        }
        LocalDate today = moment.atZone(config.timezone()).toLocalDate();
        java.util.Set<String> pools = new java.util.TreeSet<>(poolsByState().values());
        for (; nextAddsDay.isBefore(today); nextAddsDay = nextAddsDay.plusDays(1)) {
            for (String pool : pools) {
                for (Map.Entry<String, Long> a : ports.loads().load(config.tenant(), pool, nextAddsDay).addsToday().entrySet()) {
                    if (a.getValue() != 0) {
                        addsByDay.computeIfAbsent(pool, k -> new java.util.TreeMap<>())
                                .computeIfAbsent(a.getKey(), k -> new java.util.TreeMap<>()).put(nextAddsDay, a.getValue());
                    }
                }
            }
        }
    }

    private static String runKey(String customer, String journey, String run) {
        return customer + "|" + journey + "|" + run;
    }

    public List<CallLog.Call> calls() {
        return List.copyOf(calls);
    }

    public Map<StepRunner.Outcome, Long> outcomes() {
        return new java.util.TreeMap<>(outcomes);
    }

    public long stepsRun() {
        return stepsRun.get();
    }

    public long failures() {
        return failures.get();
    }

    /** The report window's start; the existing base joined before it, from {@link #origin()}. */
    public Instant start() {
        return start;
    }

    public Instant origin() {
        return origin;
    }

    public Instant end() {
        return end;
    }

    public ScrmConfig config() {
        return config;
    }

    public Ports ports() {
        return ports;
    }

    /** Every customer id of every simulated person, the ids merged away included. */
    public java.util.Set<String> allCustomerIds() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        byExternalId.values().forEach(c -> out.addAll(c.allIds()));
        return out;
    }

    /** Every simulated customer's id with its external_userid. */
    public Map<String, String> customerIds() {
        Map<String, String> m = new HashMap<>();
        byExternalId.forEach((ext, c) -> m.put(c.customerId, ext));
        return m;
    }

    /** Every timeline event of every simulated customer. */
    public Map<String, List<TimelineEvent>> timelines() {
        if (finalTimelines != null) {
            return finalTimelines;
        }
        Map<String, List<TimelineEvent>> all = new HashMap<>();
        for (SimCustomer c : byExternalId.values()) {
            if (c.absorbed.isEmpty()) {
                all.put(c.customerId, ports.customers().timeline(config.tenant(), c.customerId));
                continue;
            }
            // A person merged from two profiles: both timelines, each event once (a merge may copy events, same ids).
            Map<String, TimelineEvent> byId = new java.util.LinkedHashMap<>();
            for (String id : c.allIds()) {
                ports.customers().timeline(config.tenant(), id).forEach(e -> byId.putIfAbsent(e.eventId(), e));
            }
            List<TimelineEvent> events = new ArrayList<>(byId.values());
            events.sort(java.util.Comparator.comparing(TimelineEvent::at));
            all.put(c.customerId, events);
        }
        if (finished) {
            // The run is over: the reports, the invariants and the record read the same timelines once.
            finalTimelines = Map.copyOf(all);
        }
        return all;
    }

    private record Campaign(int hour, String name, String text, ContentClass content) { }

    /** The first and last day (exclusive) of the window's part in the calendar month it covers most. */
    private LocalDate[] busiestMonth() {
        LocalDate first = start.atZone(config.timezone()).toLocalDate();
        LocalDate last = end.atZone(config.timezone()).toLocalDate();
        LocalDate[] best = {first, first};
        for (LocalDate m = first.withDayOfMonth(1); !m.isAfter(last); m = m.plusMonths(1)) {
            LocalDate from = m.isBefore(first) ? first : m;
            LocalDate to = m.plusMonths(1).isAfter(last) ? last : m.plusMonths(1);
            if (java.time.temporal.ChronoUnit.DAYS.between(from, to) > java.time.temporal.ChronoUnit.DAYS.between(best[0], best[1])) {
                best = new LocalDate[] {from, to};
            }
        }
        return best;
    }

    private record Planned(Instant at, long seq, Runnable action) implements Comparable<Planned> {
        @Override
        public int compareTo(Planned o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final class SimCustomer {
        final String externalUserId;
        final Population.Profile channel;
        /** How much more than the channel's average this customer spends: a few big spenders reach the VIP group. */
        final double spend;
        final java.util.Set<String> groups = new java.util.HashSet<>();
        String customerId;
        String staff;
        boolean gone;
        /** The customer as a Mini Program member; null for a customer who does not use it. */
        MiniProgramMembers.Member member;
        /** At the end: other customer ids that were this person before a merge (see followMerges). */
        List<String> absorbed = List.of();

        /** Every customer id this person had, the current one first. */
        List<String> allIds() {
            List<String> all = new ArrayList<>();
            all.add(customerId);
            all.addAll(absorbed);
            return all;
        }

        SimCustomer(String externalUserId, Population.Profile channel, double spend) {
            this.externalUserId = externalUserId;
            this.channel = channel;
            this.spend = spend;
        }
    }

    /** A catalog job and its next run on the virtual clock. */
    private static final class ScheduledRun {
        final JobCatalog.Job job;
        Instant next;

        ScheduledRun(JobCatalog.Job job) {
            this.job = job;
        }

        /**
         * When the loop must stop for this job. The per-minute timer sweep finds nothing to do before the
         * earliest timer's minute, so those runs are skipped rather than visited one virtual minute at a time
         * (null: no timer, nothing to stop for).
         */
        Instant nextUseful(Optional<Instant> earliestTimer, java.time.ZoneId zone) {
            if (!job.name().equals(JobCatalog.SWEEP_TIMERS)) {
                return next;
            }
            if (earliestTimer.isEmpty()) {
                return null;
            }
            Instant bucket = earliestTimer.get().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            Instant firstUseful = job.schedule().nextAfter(bucket.minusMillis(1), zone);
            return firstUseful.isAfter(next) ? firstUseful : next;
        }
    }
}
