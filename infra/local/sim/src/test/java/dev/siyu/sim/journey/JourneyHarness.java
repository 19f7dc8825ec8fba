package dev.siyu.sim.journey;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.journey.JourneyCatalog;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.JourneyServices;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepScheduler;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerStore;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.memory.CallLog;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryDecisionCounts;
import dev.siyu.memory.MemoryGroupStore;
import dev.siyu.memory.MemoryJourneyRunStore;
import dev.siyu.memory.MemoryOutreachCounters;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import dev.siyu.sim.VirtualStepQueue;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The journey engine as journey-worker builds it ({@link JourneyServices}), on in-memory stores, a
 * {@link VirtualClock} and a {@link VirtualStepQueue}, with timers in a {@link MemoryTimerStore} swept by
 * the real {@link TimerSweep}. {@link #runUntil} plays time forward the way production does: deliver
 * every visible step or trigger, sweep the timers, move the clock to the next due time. A step whose
 * worker throws comes back after 30 s, as SQS redelivers it; after 5 receives it goes to {@link #dlq}.
 */
final class JourneyHarness {
    static final String STAFF = "zhangsan";
    static final Duration REDELIVERY = Duration.ofSeconds(30);
    static final int MAX_RECEIVES = 5;

    /** One delivery of a step to the worker: its outcome, or the exception it threw. */
    record Delivery(Instant at, DueStep step, StepRunner.Outcome outcome, RuntimeException failure) { }

    final ScrmConfig config;
    final String tenant;
    final ZoneId zone;
    final VirtualClock clock;
    final VirtualStepQueue queue;
    final MemoryTimerStore timerStore = new MemoryTimerStore();
    final TrackingTimers timers = new TrackingTimers(timerStore);
    final StepScheduler scheduler;
    final TimerSweep sweep;
    final MemoryCustomerStore customers = new MemoryCustomerStore();
    final MemoryJourneyRunStore runs = new MemoryJourneyRunStore();
    final MemoryOutreachCounters counters = new MemoryOutreachCounters();
    final MemoryDecisionCounts decisions = new MemoryDecisionCounts();
    final MemoryGroupStore groups = new MemoryGroupStore();
    /** The pools' active customers, by which a senior: true task picks its senior advisor. */
    final dev.siyu.memory.MemoryStaffLoadStore loads = new dev.siyu.memory.MemoryStaffLoadStore();
    /** Where journey messages and staff tasks wait for their staff member. */
    final dev.siyu.memory.MemoryDeskStore desk = new dev.siyu.memory.MemoryDeskStore();
    final RecordingWeComApi recording;
    final WeComApi wecom;
    final Ids ids = new Ids();
    final MemberActions members;
    final List<Delivery> deliveries = new ArrayList<>();
    final List<DueStep> dlq = new ArrayList<>();
    private final List<CallLog.Call> calls = new ArrayList<>();
    private final Map<String, Integer> receives = new HashMap<>();
    JourneyServices engine;
    /** False while the per-minute sweep is down: the queue keeps delivering, timers stay where they are. */
    boolean sweeperRunning = true;

    JourneyHarness(Instant start) {
        this(ExampleConfig.CONFIG, start, TimerSweep.Settings.defaults(), w -> w);
    }

    JourneyHarness(ScrmConfig config, Instant start) {
        this(config, start, TimerSweep.Settings.defaults(), w -> w);
    }

    /**
     * @param wrap wraps the recording WeCom API, e.g. to make a call fail
     */
    JourneyHarness(ScrmConfig config, Instant start, TimerSweep.Settings sweepSettings,
                   Function<RecordingWeComApi, WeComApi> wrap) {
        this.config = config;
        this.tenant = config.tenant();
        this.zone = config.timezone();
        this.clock = new VirtualClock(start);
        this.queue = new VirtualStepQueue(clock);
        this.scheduler = new StepScheduler(queue, timers, clock, sweepSettings.shards());
        this.sweep = new TimerSweep(timers, queue, clock, sweepSettings, Runnable::run);
        this.recording = new RecordingWeComApi(clock);
        // as the Engine does: cards carry a freshly uploaded picture (the recording API refuses them otherwise)
        this.wecom = dev.siyu.core.media.MediaAttachingWeComApi.uploading(wrap.apply(recording), tenant,
                new dev.siyu.memory.MemoryMediaCache(), clock);
        this.members = new MemberActions(tenant, customers, groups, queue, ids);
        use(fixedCatalog(config, 1));
    }

    /** Builds the engine on another catalog over the same stores, queue and timers (a recycled container). */
    void use(JourneyCatalog catalog) {
        use(config, catalog);
    }

    /** As {@link #use(JourneyCatalog)}, for a container started on another config version. */
    void use(ScrmConfig current, JourneyCatalog catalog) {
        engine = new JourneyServices(current, catalog, ExampleConfig.CEL, customers, runs, counters, decisions, groups,
                wecom, scheduler, clock, ids, loads, desk);
    }

    static JourneyCatalog fixedCatalog(ScrmConfig config, long version) {
        return new JourneyCatalog() {
            @Override
            public long currentVersion() {
                return version;
            }

            @Override
            public List<dev.siyu.core.journey.Journey> journeys(long v) {
                return v == version ? config.journeys() : List.of();
            }
        };
    }

    // ---- time ----

    Instant local(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).atZone(zone).toInstant();
    }

    LocalDateTime localOf(Instant at) {
        return at.atZone(zone).toLocalDateTime();
    }

    /**
     * Where a message to the customer through {@link #STAFF}, deferred to the opening at or after the
     * given local time (the window's start), comes due: the gate spreads a night's deferrals over the first
     * {@link OutreachGate#OPENING_SPREAD} of the opening, at an offset fixed per customer and touch.
     */
    Instant opening(String customerId, int year, int month, int day, int hour, int minute) {
        return opening(Touch.privateMessage(customerId, STAFF, ContentClass.VALUE), year, month, day, hour, minute);
    }

    /** {@link #opening(String, int, int, int, int, int)} for another kind of touch (the offset is per touch). */
    Instant opening(Touch touch, int year, int month, int day, int hour, int minute) {
        // asked a moment before the opening: at the opening itself the window is open and nothing moves
        return new OutreachGate(config.guardrails(), zone, OutreachGate.OPENING_SPREAD).opening(touch,
                local(year, month, day, hour, minute).minusNanos(1), zone);
    }

    /** {@link #opening} as {@link #localOf} prints it. */
    String localOpening(String customerId, int year, int month, int day, int hour, int minute) {
        return localOf(opening(customerId, year, month, day, hour, minute)).toString();
    }

    /** Where a coupon through {@link #STAFF} deferred to the opening comes due, as {@link #localOf} prints it. */
    String localCouponOpening(String customerId, int year, int month, int day, int hour, int minute) {
        return localOf(opening(Touch.coupon(customerId, STAFF), year, month, day, hour, minute)).toString();
    }

    Instant now() {
        return clock.instant();
    }

    void advance(Duration d) {
        runUntil(clock.instant().plus(d));
    }

    /** Delivers everything due up to end, in time order, then leaves the clock at end. */
    void runUntil(Instant end) {
        settle();
        while (true) {
            Optional<Instant> next = nextWake();
            if (next.isEmpty() || next.get().isAfter(end)) {
                break;
            }
            clock.set(next.get());
            settle();
        }
        if (clock.instant().isBefore(end)) {
            clock.set(end);
            settle();
        }
    }

    /** Sweeps and delivers until nothing is visible at the current instant. */
    void settle() {
        while (true) {
            if (sweeperRunning) {
                sweep.sweep();
            }
            List<VirtualStepQueue.Message> visible = queue.receiveVisible();
            if (visible.isEmpty()) {
                return;
            }
            for (VirtualStepQueue.Message m : visible) {
                if (m.step() != null) {
                    deliver(m.step());
                } else {
                    engine.starter.onEvent(m.trigger());
                }
                collectCalls();
            }
        }
    }

    /** Runs the visible triggers and hands back the visible steps without running them (they leave the queue). */
    List<DueStep> takeVisibleSteps() {
        List<DueStep> steps = new ArrayList<>();
        while (true) {
            List<VirtualStepQueue.Message> visible = queue.receiveVisible();
            if (visible.isEmpty()) {
                return steps;
            }
            for (VirtualStepQueue.Message m : visible) {
                if (m.step() != null) {
                    steps.add(m.step());
                } else {
                    engine.starter.onEvent(m.trigger());
                }
            }
        }
    }

    /** A WeCom API whose first call of the named method fails as a transport error would, then works. */
    static WeComApi failingOnce(WeComApi delegate, String method) {
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        return (WeComApi) java.lang.reflect.Proxy.newProxyInstance(WeComApi.class.getClassLoader(),
                new Class<?>[] {WeComApi.class}, (proxy, m, args) -> {
                    if (m.getName().equals("touching")) {
                        return proxy;
                    }
                    if (m.getName().equals(method) && failed.compareAndSet(false, true)) {
                        throw new dev.siyu.core.port.WeComApiException(-1, method + ": connection reset", null);
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Delivers one step to the worker as SQS would: a failure comes back after 30 s, at most 5 receives. */
    StepRunner.Outcome deliver(DueStep step) {
        String key = step.id() + "@" + step.dueAt();
        int n = receives.merge(key, 1, Integer::sum);
        try {
            StepRunner.Outcome o = engine.steps.run(step);
            deliveries.add(new Delivery(clock.instant(), step, o, null));
            return o;
        } catch (RuntimeException e) {
            deliveries.add(new Delivery(clock.instant(), step, null, e));
            if (n >= MAX_RECEIVES) {
                dlq.add(step);
            } else {
                queue.send(step, REDELIVERY);
            }
            return null;
        } finally {
            collectCalls();
        }
    }

    private Optional<Instant> nextWake() {
        Instant now = clock.instant();
        Optional<Instant> q = queue.nextVisible();
        Optional<Instant> t = sweeperRunning ? timers.nextBucketAfter(now) : Optional.empty();
        if (q.isEmpty()) {
            return t;
        }
        if (t.isEmpty()) {
            return q;
        }
        return Optional.of(q.get().isBefore(t.get()) ? q.get() : t.get());
    }

    // ---- customers ----

    /**
     * A customer added by {@link #STAFF} at addedAt, who granted marketing consent then; saved with a
     * contact_added timeline event. No journey trigger is sent.
     */
    CustomerProfile customer(String id, Instant addedAt) {
        CustomerProfile p = new CustomerProfile(tenant, id, "Customer " + id, null, "parcel_card_east",
                "Package Insert - East China Warehouse", null, "shanghai", Set.of(),
                Map.of(STAFF, StaffRelationship.started(STAFF, "parcel_card_east", addedAt, false)),
                Map.of(IdentityType.EXTERNAL_USERID.key(), externalId(id)), addedAt, addedAt,
                Activity.NONE.consentGranted(addedAt));
        customers.save(p, List.of(new TimelineEvent(ids.next("ev", addedAt), addedAt, "contact_added", STAFF,
                Map.of("state", "parcel_card_east"))));
        return p;
    }

    static String externalId(String customerId) {
        return "wm" + customerId;
    }

    /** A customer added now whose contact_added trigger is queued, as the callback does. */
    CustomerProfile added(String id) {
        CustomerProfile p = customer(id, clock.instant());
        queue.enqueue(new JourneyTrigger(tenant, id, "contact_added", clock.instant(), Map.of("staff", STAFF)));
        return p;
    }

    CustomerProfile profile(String id) {
        return customers.profile(tenant, id).orElseThrow();
    }

    CustomerProfile update(String id, UnaryOperator<CustomerProfile> change) {
        CustomerProfile next = change.apply(profile(id));
        customers.save(next, List.of());
        return next;
    }

    /** The customer deleted the staff member now (a del_follow_user callback). */
    void deletesStaff(String id) {
        Instant now = clock.instant();
        CustomerProfile p = profile(id);
        StaffRelationship ended = p.relationships().get(STAFF).ended(now, StaffRelationship.EndedBy.CUSTOMER);
        customers.save(p.withRelationship(ended, now), List.of(new TimelineEvent(ids.next("ev", now), now,
                "relationship_ended", STAFF, Map.of("by", "customer"))));
    }

    static final String JOIN_QR = "https://wework.qpic.cn/wwpic/joinway/";

    GroupStore.Group group(String chatId, String groupType, String owner) {
        // As GroupSetup leaves a typed group: with its join way, whose QR code invites carry.
        GroupStore.Group g = new GroupStore.Group(tenant, chatId, groupType + " " + chatId, groupType, owner, 0,
                "active", clock.instant(), "jw-" + chatId, JOIN_QR + chatId, null);
        groups.save(g);
        return g;
    }

    // ---- what an operator looks at ----

    List<TimelineEvent> timeline(String id) {
        return customers.timeline(tenant, id);
    }

    List<TimelineEvent> events(String id, String kind) {
        return timeline(id).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Timeline events written by one journey (journey detail), in order. */
    List<TimelineEvent> journeyEvents(String id, String journey) {
        return timeline(id).stream().filter(e -> journey.equals(e.details().get("journey"))).toList();
    }

    List<JourneyRun> runs(String id, String journey) {
        return runs.runs(tenant, id).stream().filter(r -> r.journey().equals(journey)).toList();
    }

    JourneyRun onlyRun(String id, String journey) {
        List<JourneyRun> found = runs(id, journey);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + journey + " run for " + id + ", found " + found);
        }
        return found.get(0);
    }

    /** The journey messages and staff tasks left on the staff desk, oldest first. */
    List<dev.siyu.core.desk.DeskTask> deskTasks() {
        return desk.all(tenant).stream()
                .sorted(java.util.Comparator.comparing(dev.siyu.core.desk.DeskTask::createdAt)
                        .thenComparing(dev.siyu.core.desk.DeskTask::touchId))
                .toList();
    }

    List<dev.siyu.core.desk.DeskTask> deskTasks(String customerId) {
        return deskTasks().stream().filter(t -> t.customerId().equals(customerId)).toList();
    }

    /**
     * One touch the customer gets: an add_msg_template task to them (via {@code template}) or a message left on
     * their advisor's staff desk for the advisor to send from the sidebar (via {@code desk}).
     *
     * @param attachment the first attachment's kind (link, miniprogram, image), null for text only
     * @param url        its link url or Mini Program page
     */
    record Touched(Instant at, String via, String sender, String text, String attachment, String url,
                   String touchId) {
        static final String TEMPLATE = "template";
        static final String DESK = "desk";
    }

    /** The customer's touches, template tasks and desk messages together, oldest first. */
    List<Touched> touchesFor(String customerId) {
        List<Touched> out = new ArrayList<>();
        for (CallLog.Call c : callsFor(customerId)) {
            if (!c.api().equals("externalcontact/add_msg_template") || c.errcode() != 0) {
                continue;
            }
            var first = c.body().path("attachments").path(0);
            String kind = first.path("msgtype").asText(null);
            String url = kind == null ? null : first.path(kind).path("url").asText(first.path(kind).path("page")
                    .asText(null));
            out.add(new Touched(c.at(), Touched.TEMPLATE, c.body().path("sender").asText(null),
                    c.body().path("text").path("content").asText(null), kind, url, c.touchId()));
        }
        for (dev.siyu.core.desk.DeskTask t : deskTasks(customerId)) {
            var first = t.attachments().isEmpty() ? null : t.attachments().get(0);
            out.add(new Touched(t.createdAt(), Touched.DESK, t.staffUserId(), t.text(),
                    first == null ? null : first.kind(), first == null ? null : first.url(), t.touchId()));
        }
        out.sort(java.util.Comparator.comparing(Touched::at).thenComparing(Touched::touchId,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        return out;
    }

    /** Every WeCom call so far, oldest first. */
    List<CallLog.Call> calls() {
        collectCalls();
        return List.copyOf(calls);
    }

    List<CallLog.Call> calls(String api) {
        return calls().stream().filter(c -> c.api().equals(api)).toList();
    }

    /** Calls that name the customer's external_userid (1-on-1 templates, tag marks). */
    List<CallLog.Call> callsFor(String customerId) {
        String ext = externalId(customerId);
        return calls().stream().filter(c -> {
            if (ext.equals(c.body().path("external_userid").asText(null))) {
                return true;
            }
            for (var n : c.body().path("external_userid")) {
                if (ext.equals(n.asText())) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    private void collectCalls() {
        // Picture uploads (media/upload, for card covers) come and go with their 3-day cache: the journey tests
        // assert the sends (InMemoryWeComRulesTest asserts the uploads).
        recording.drain().stream().filter(c -> !c.api().equals("media/upload")).forEach(calls::add);
    }

    /**
     * Records where each timer was put, so tests can assert placement and the harness knows when to wake; the
     * next {@code failPuts} puts are refused, as a failed table write would be.
     */
    static final class TrackingTimers implements TimerStore {
        private final MemoryTimerStore delegate;
        final List<Timer> placed = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger failPuts = new java.util.concurrent.atomic.AtomicInteger();

        TrackingTimers(MemoryTimerStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized void put(Timer timer) {
            if (failPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("timer write failed");
            }
            placed.add(timer);
            delegate.put(timer);
        }

        @Override
        public List<Timer> due(Instant minute, int shard) {
            return delegate.due(minute, shard);
        }

        @Override
        public Optional<DueStep> claim(Timer timer, Instant now, Instant leaseUntil) {
            return delegate.claim(timer, now, leaseUntil);
        }

        @Override
        public void remove(List<Timer> sent) {
            delegate.remove(sent);
        }

        @Override
        public Optional<Instant> lastSwept() {
            return delegate.lastSwept();
        }

        @Override
        public void markSwept(Instant minute) {
            delegate.markSwept(minute);
        }

        /** Whether the timer still waits in its bucket. */
        boolean waiting(Timer t) {
            return delegate.due(t.minute(), t.shard()).contains(t);
        }

        synchronized List<Timer> waiting() {
            return placed.stream().filter(this::waiting).distinct().toList();
        }

        /** The earliest bucket after now that still holds a timer. */
        synchronized Optional<Instant> nextBucketAfter(Instant now) {
            return placed.stream().filter(t -> t.minute().isAfter(now)).filter(this::waiting).map(Timer::minute)
                    .min(Instant::compareTo);
        }
    }
}
