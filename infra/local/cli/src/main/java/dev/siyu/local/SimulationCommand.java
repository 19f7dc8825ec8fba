package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.embedded.StackWorld;
import dev.siyu.embedded.UsageException;
import dev.siyu.memory.VirtualClockHolder;
import dev.siyu.memory.faults.Faults;
import dev.siyu.sim.MemoryWorld;
import dev.siyu.sim.Recording;
import dev.siyu.sim.Report;
import dev.siyu.sim.Simulation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * {@code ./siyu demo}: a synthetic population through the whole loop on a virtual clock (see
 * {@link Simulation}). On the embedded stack by default: DynamoDB Local for every store, the WeCom
 * stub over HTTP through WxJava, callbacks encrypted and signed. {@code --store memory} runs the same
 * loop on in-memory stores (the engine benchmark).
 */
final class SimulationCommand {
    /** Customers handled side by side on the stack: DynamoDB Local round trips, not the CPU, bound the run. */
    static final int STACK_WORKERS = 8;

    /** Large enough for every report and invariant to have something to say, small enough for about two minutes. */
    static final int DEFAULT_CUSTOMERS = 500;
    /** Simulated days whose pace the ETA uses. */
    private static final int ETA_DAYS = 7;

    private SimulationCommand() {
    }

    /** --faults: the chance of a fault at each of the engine's I/O calls, 0 up to but not including 1. */
    static double faultRate(String v) {
        try {
            double rate = Double.parseDouble(v);
            if (rate >= 0 && rate < 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // the usage error below says what is expected
        }
        throw new UsageException("--faults is a rate from 0 up to (not including) 1, e.g. 0.05, got '" + v + "'");
    }

    /** --start: the simulated calendar's first day in the tenant's zone. */
    static LocalDate startDay(String v) {
        try {
            return LocalDate.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--start is a day as YYYY-MM-DD, e.g. 2026-11-01, got '" + v + "'");
        }
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of("json"), Set.of("config", "customers", "days", "seed", "record", "store",
                "history", "faults", "start"));
        Simulation.Settings settings = new Simulation.Settings(args.integer("customers", DEFAULT_CUSTOMERS, 1, 1_000_000),
                args.integer("days", 30, 1, 365), args.integer("seed", 1, 0, Integer.MAX_VALUE),
                args.integer("history", Simulation.Settings.DEFAULT_HISTORY_DAYS, 0, 365));
        String store = args.string("store", "stack");
        if (!store.equals("stack") && !store.equals("memory")) {
            throw new UsageException("--store is stack or memory, not " + store);
        }
        double faultRate = faultRate(args.string("faults", "0"));
        String startDay = args.string("start", null);
        LocalDate firstDay = startDay == null ? null : startDay(startDay);
        boolean json = args.flag("json");
        Main.onlyWarnings();
        if (faultRate > 0) {
            // Every injected fault is a logged failure (thousands a run); the report counts them by kind.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        }
        PrintStream progressOut = json ? err : out;
        CelConditionCompiler cel = new CelConditionCompiler();
        Blueprint blueprint = Blueprint.read(args.path("config", root, Blueprint.DEFAULT));
        ScrmConfig config = new ConfigLoader(cel).load(blueprint.yaml(), blueprint.sourceName());
        // Midnight local time of --start, or the window's length back, so the run ends today.
        Instant start = (firstDay != null ? firstDay : LocalDate.now(config.timezone()).minusDays(settings.days()))
                .atStartOfDay(config.timezone()).toInstant();
        Faults faults = new Faults(settings.seed(), faultRate);
        long t0 = System.nanoTime();
        Simulation sim;
        AutoCloseable stack = null;
        if (store.equals("memory")) {
            sim = MemoryWorld.create(config, cel, settings, start, faults);
        } else {
            VirtualClockHolder clock = new VirtualClockHolder();
            StackPorts ports = StackPorts.DEFAULTS.allFree() ? StackPorts.DEFAULTS : StackPorts.EPHEMERAL;
            // DynamoDB Local prints its banner on System.out; with --json that stream carries only the document.
            PrintStream stdout = System.out;
            EmbeddedStack s;
            LocalEnv env = LocalEnv.load(root, System.getenv());
            System.setOut(progressOut);
            try {
                // DynamoDB Local in-process: the demo's table requests skip the HTTP round trip (see startInProcess).
                s = EmbeddedStack.startInProcess(ports, env, blueprint, clock);
            } finally {
                System.setOut(stdout);
            }
            stack = s;
            dev.siyu.core.engine.Ports stackPorts = s.ports(s.meter);
            sim = new Simulation(config, s.applied.version(), cel, stackPorts, StackWorld.calls(s.stub),
                    s.stub.groups(), settings, start, engine -> StackWorld.delivery(engine, s.wecomSettings),
                    StackWorld.members(s, env, stackPorts.customers()), faults);
            clock.set(sim.clock());
            sim.parallelism(STACK_WORKERS);
            progressOut.printf("embedded stack up in %.1f s: DynamoDB Local %s, ElasticMQ, WeCom stub %s, "
                    + "Mini Program stub %s%n", (System.nanoTime() - t0) / 1e9, s.dynamoDbLocation(), s.stub.baseUrl(),
                    s.miniProgram.baseUrl());
        }
        try {
            sim.setUp(MemoryWorld.groups(config, settings.customers(), start));
            progressOut.printf("simulating %d customers over %d days (seed %d%s) on %s stores%n", settings.customers(),
                    settings.days(), settings.seed(), faults.enabled() ? ", faults " + faultRate + ", one thread" : "",
                    store.equals("memory") ? "in-memory" : "DynamoDB Local");
            long runStart = System.nanoTime();
            java.util.ArrayDeque<Double> recent = new java.util.ArrayDeque<>();
            sim.run(p -> {
                // One line per simulated day. The ETA prices the days left at the last week's pace: the
                // population grows, so early (history) days are cheaper than the window's.
                double elapsed = (System.nanoTime() - runStart) / 1e9;
                int done = p.day() + settings.historyDays();
                int total = settings.days() + settings.historyDays();
                recent.addLast(elapsed);
                if (recent.size() > ETA_DAYS + 1) {
                    recent.removeFirst();
                }
                double perDay = recent.size() < 2 ? (done <= 0 ? 0 : elapsed / done)
                        : (recent.peekLast() - recent.peekFirst()) / (recent.size() - 1);
                double eta = perDay * Math.max(0, total - done);
                progressOut.printf("  day %3d  %s  customers %6d  steps %8d  queued %8d  %6.1f s  ETA %5.0f s%n", p.day(),
                        p.at().atZone(config.timezone()).toLocalDate(), p.arrived(), p.stepsRun(), p.queued(), elapsed, eta);
            });
            Report report = Report.of(sim, Duration.ofNanos(System.nanoTime() - runStart));
            if (args.string("record", null) != null) {
                Path dir = root.resolve(args.string("record", null));
                Recording.write(dir, sim);
                progressOut.println("recorded calls, timeline, runs, touches and loads (.jsonl) in " + dir);
            }
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
            } else {
                report.print(out);
            }
            // A run that broke a guardrail is a failed run, whatever else it printed.
            List<String> broken = report.violations(sim);
            if (!broken.isEmpty()) {
                err.println("siyu: " + broken.size() + " invariant(s) do not hold: " + String.join("; ", broken));
                return 1;
            }
            return 0;
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
