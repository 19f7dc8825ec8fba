package dev.siyu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.journey.JourneyServices;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.outreach.BatchedDecisionCounts;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepScheduler;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.embedded.StackWorld;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.VirtualClock;
import dev.siyu.sim.MemoryWorld;
import dev.siyu.sim.Report;
import dev.siyu.sim.Simulation;
import dev.siyu.sim.VirtualStepQueue;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.CountingDynamoDb;
import dev.siyu.store.DynamoPorts;
import dev.siyu.store.ItemWrites;
import dev.siyu.wecom.WxJavaWeComApi;
import dev.siyu.store.DynamoTimerStore;
import dev.siyu.store.SqsStepQueue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The journey benchmarks of issue 5, each printing its numbers:
 * <ul>
 *   <li>{@code journeys}: the whole simulation on in-memory stores (the engine alone), N customers x D days;</li>
 *   <li>{@code worker}: journey steps executed against DynamoDB Local with the worker's graph, steps per
 *       second and write units per executed step;</li>
 *   <li>{@code timers}: N due timers moved from DynamoDB Local to ElasticMQ by the sweep.</li>
 * </ul>
 */
public final class EngineBench {
    /** The journey worker's SQS batch size. */
    private static final int WORKER_BATCH = 10;
    /** One tenant's design load (issue 10): steps per second with no item over 500 writes/s. */
    private static final double DESIGN_STEPS_PER_SECOND = 2000;
    private EngineBench() {
    }

    public static int journeys(List<String> argv, PrintStream out, Path root) {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("customers", "days", "seed", "config"));
        Simulation.Settings settings = new Simulation.Settings(args.integer("customers", 10_000, 1, 1_000_000),
                args.integer("days", 30, 1, 365), args.integer("seed", 1, 0, Integer.MAX_VALUE));
        CelConditionCompiler cel = new CelConditionCompiler();
        ScrmConfig config = new ConfigLoader(cel).load(args.path("config", root, Blueprint.DEFAULT));
        Instant start = LocalDate.now(config.timezone()).minusDays(settings.days()).atStartOfDay(config.timezone()).toInstant();
        long t0 = System.nanoTime();
        Simulation sim = MemoryWorld.create(config, cel, settings, start);
        sim.setUp(MemoryWorld.groups(config, settings.customers(), start));
        sim.run(p -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        Report report = Report.of(sim, Duration.ofNanos(System.nanoTime() - t0));
        long touches = report.invariants(sim).touchesTotal();
        out.printf("bench journeys (in-memory stores, engine alone): %d customers x %d days (+%d days of existing base)%n",
                settings.customers(), settings.days(), settings.historyDays());
        out.printf("  wall %.1f s (target < 60 s)   steps %d (%.0f steps/s)   WeCom calls %d   touches %d%n", seconds,
                sim.stepsRun(), sim.stepsRun() / seconds, sim.calls().size(), touches);
        return 0;
    }

    public static int worker(List<String> argv, PrintStream out, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("customers", "config"));
        int customers = args.integer("customers", 200, 1, 100_000);
        CelConditionCompiler cel = new CelConditionCompiler();
        Blueprint blueprint = Blueprint.read(args.path("config", root, Blueprint.DEFAULT));
        ScrmConfig config = new ConfigLoader(cel).load(blueprint.yaml(), blueprint.sourceName());
        // Tuesday 10:00 in the tenant's zone: inside business hours, at the start of a week.
        Instant start = LocalDate.of(2026, 11, 3).atTime(10, 0).atZone(config.timezone()).toInstant();
        VirtualClock clock = new VirtualClock(start);
        StackPorts ports = StackPorts.DEFAULTS.allFree() ? StackPorts.DEFAULTS : StackPorts.EPHEMERAL;
        try (EmbeddedStack s = EmbeddedStack.start(ports, LocalEnv.load(root, System.getenv()).wecom(), blueprint)) {
            VirtualStepQueue queue = new VirtualStepQueue(clock);
            MemoryTimerStore timers = new MemoryTimerStore();
            ItemWrites writes = new ItemWrites();
            Ports p = DynamoPorts.create(new CountingDynamoDb(s.dynamoDb, writes), s.aws.sqs(), s.storeSettings,
                    new WxJavaWeComApi(s.wecomSettings), s.meter).withQueues(queue, queue, timers);
            Engine built = new Engine(p, config, s.applied.version(), cel, clock, Engine.Settings.inline()
                    .withSweep(new TimerSweep.Settings(TimerSweep.Settings.DEFAULT_SHARDS, Duration.ofDays(10))));
            TimerSweep sweep = built.sweep();
            JourneyServices engine = built.journeys();
            for (int i = 0; i < customers; i++) {
                String ext = "wmbench" + i;
                CustomerProfile profile = new CustomerProfile(config.tenant(), "wx-" + ext, "Bench " + i, "", "parcel_card_east",
                        "Package Insert - East China Warehouse", null, null, Set.of(),
                        Map.of("zhangsan", StaffRelationship.started("zhangsan", "parcel_card_east", start, false)),
                        Map.of(IdentityType.EXTERNAL_USERID.key(), ext), start, start);
                profile = profile.withActivity(profile.activity().consentGranted(start), start);
                p.customers().save(profile, List.of());
                engine.starter.onEvent(new JourneyTrigger(config.tenant(), profile.customerId(), "contact_added", start, Map.of()));
            }
            // Only the steps are measured (the virtual clock jumps between them): every activation run,
            // all six steps over eight days, deferrals by the gate included.
            CapacityMeter.Snapshot before = s.meter.snapshot();
            writes.reset();
            long nanos = 0;
            long steps = 0;
            long batches = 0;
            Instant until = start.plus(Duration.ofDays(8));
            while (true) {
                List<VirtualStepQueue.Message> visible = queue.receiveVisible();
                long t0 = System.nanoTime();
                for (int i = 0; i < visible.size(); i++) {
                    VirtualStepQueue.Message m = visible.get(i);
                    if (m.step() != null && engine.steps.run(m.step()) != StepRunner.Outcome.DUPLICATE) {
                        steps++;
                    }
                    // The worker's SQS batches are at most WORKER_BATCH messages (template.yaml BatchSize).
                    if ((i + 1) % WORKER_BATCH == 0 || i == visible.size() - 1) {
                        built.flushDecisions();
                        batches++;
                    }
                }
                nanos += System.nanoTime() - t0;
                Instant next = earliest(queue.nextVisible().orElse(null), timers.earliest().orElse(null));
                if (next == null || next.isAfter(until)) {
                    break;
                }
                clock.set(next.isAfter(clock.instant()) ? next : clock.instant());
                sweep.sweep();
            }
            double seconds = nanos / 1e9;
            CapacityMeter.Snapshot used = s.meter.snapshot().minus(before);
            out.printf("bench worker (the worker's graph against DynamoDB Local, one thread): %d steps in %.1f s = %.0f steps/s%n",
                    steps, seconds, steps / seconds);
            out.printf("  per executed step: %.2f table requests, %.2f WCU, %.2f RCU (WeCom calls go to the stub over HTTP;"
                    + " decision counts written once per batch of %.1f steps)%n",
                    (double) used.requests() / steps, used.writes() / steps, used.reads() / steps,
                    (double) steps / Math.max(1, batches));
            HotItems.of(writes, steps, seconds, DESIGN_STEPS_PER_SECOND).print(out, "step");
            return 0;
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    public static int timers(List<String> argv, PrintStream out, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("timers", "shards", "threads"));
        int count = args.integer("timers", 100_000, 1, 10_000_000);
        int shards = args.integer("shards", 32, 1, 1024);
        int threads = args.integer("threads", 16, 1, 256);
        Blueprint blueprint = Blueprint.read(root.resolve(Blueprint.DEFAULT));
        StackPorts ports = StackPorts.DEFAULTS.allFree() ? StackPorts.DEFAULTS : StackPorts.EPHEMERAL;
        try (EmbeddedStack s = EmbeddedStack.start(ports, LocalEnv.load(root, System.getenv()).wecom(), blueprint)) {
            DynamoTimerStore store = new DynamoTimerStore(s.aws.dynamoDb(), EmbeddedStack.TABLE, s.meter);
            Instant due = Timer.minuteOf(Instant.now());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long tPut = System.nanoTime();
            List<Future<?>> puts = new ArrayList<>();
            int per = (count + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int from = t * per;
                int to = Math.min(count, from + per);
                puts.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        String run = "run" + i;
                        store.put(new Timer(due, Timer.shardOf(run, shards),
                                new DueStep("bench", "c" + i, "new_customer_activation", run, 1, due, Map.of())));
                    }
                }));
            }
            for (Future<?> f : puts) {
                f.get();
            }
            out.printf("bench timers: %d timers written in %.1f s (%d shards)%n", count, (System.nanoTime() - tPut) / 1e9, shards);
            CapacityMeter.Snapshot before = s.meter.snapshot();
            TimerSweep sweep = new TimerSweep(store, new SqsStepQueue(s.aws.sqs(), s.storeSettings.queueUrl(), new ObjectMapper()),
                    Clock.systemUTC(), new TimerSweep.Settings(shards, Duration.ofMinutes(5)), pool);
            long t0 = System.nanoTime();
            TimerSweep.Result r = sweep.sweep();
            double seconds = (System.nanoTime() - t0) / 1e9;
            CapacityMeter.Snapshot used = s.meter.snapshot().minus(before);
            pool.shutdown();
            out.printf("  sweep moved %d of %d to SQS in %.1f s = %.0f timers/s (target: 100,000 within 60 s), %.2f WCU per timer, %d threads%n",
                    r.handedOver(), count, seconds, r.handedOver() / seconds, used.writes() / Math.max(1, r.handedOver()), threads);
            return 0;
        }
    }
}
