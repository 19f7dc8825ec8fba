package dev.siyu.bench;

import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.UsageException;
import dev.siyu.memory.faults.Faults;
import dev.siyu.sim.Invariants;
import dev.siyu.sim.MemoryWorld;
import dev.siyu.sim.Report;
import dev.siyu.sim.Simulation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./siyu bench faults}: the in-memory demo with faults for consecutive seeds, one line per seed with
 * the faults injected and every invariant, then a summary. Exits 1 when any seed broke an invariant.
 * The calendar starts on a fixed day (--start), so a table is reproduced by its command line.
 */
public final class FaultsBench {
    static final String DEFAULT_START = "2026-11-01";

    private FaultsBench() {
    }

    public static int run(List<String> argv, PrintStream out, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("seeds", "from", "faults", "customers", "days", "history",
                "start", "config"));
        int seeds = args.integer("seeds", 50, 1, 10_000);
        int from = args.integer("from", 1, 0, Integer.MAX_VALUE - 10_000);
        int customers = args.integer("customers", 200, 1, 1_000_000);
        int days = args.integer("days", 20, 1, 365);
        int history = args.integer("history", Simulation.Settings.DEFAULT_HISTORY_DAYS, 0, 365);
        double rate = rate(args.string("faults", "0.05"));
        LocalDate first;
        try {
            first = LocalDate.parse(args.string("start", DEFAULT_START));
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--start is a day as YYYY-MM-DD, got '" + args.string("start", "") + "'");
        }
        // Every injected fault is a logged failure (thousands a seed); the table counts what matters.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        CelConditionCompiler cel = new CelConditionCompiler();
        Blueprint blueprint = Blueprint.read(args.path("config", root, Blueprint.DEFAULT));
        ScrmConfig config = new ConfigLoader(cel).load(blueprint.yaml(), blueprint.sourceName());
        Instant start = first.atStartOfDay(config.timezone()).toInstant();
        out.printf("faults %.3f, %d customers x %d days (+%d days of history) from %s, seeds %d..%d%n", rate, customers,
                days, history, first, from, from + seeds - 1);
        out.printf("%6s %8s %10s %6s %8s %10s %8s %6s %6s %6s %8s %7s  %s%n", "seed", "faults", "duplicate", "stuck",
                "missing", "no_touch", "counts", "caps", "pools", "other", "cb_lost", "wall_s", "result");
        out.printf("%6s %8s %10s %6s %8s %10s %8s %6s %6s %6s%n", "", "injected", "_touches", "_runs", "_activ", "_id",
                "_differ", "_differ", "_differ", "");
        long t0 = System.nanoTime();
        int failed = 0;
        long[] totals = new long[9];
        for (int seed = from; seed < from + seeds; seed++) {
            long s0 = System.nanoTime();
            Simulation sim = MemoryWorld.create(config, cel, new Simulation.Settings(customers, days, seed, history), start,
                    new Faults(seed, rate));
            sim.setUp(MemoryWorld.groups(config, customers, start));
            sim.run(p -> { });
            Report report = Report.of(sim, Duration.ofNanos(System.nanoTime() - s0));
            Invariants inv = report.invariants(sim);
            List<String> broken = inv.violations(config.guardrails());
            long injected = sim.faults().counts().values().stream().mapToLong(Long::longValue).sum();
            long other = inv.touchesAfterDelete() + inv.touchesAfterConsentWithdrawal() + inv.touchesOutsideBusinessHours()
                    + Math.max(0, inv.maxMassMessagesPerCustomerMonth() - config.guardrails().massMessagesPerMonth())
                    + Math.max(0, inv.maxMomentsPostsPerDay() - config.guardrails().momentsPostsPerDay());
            Map<String, Long> redelivery = sim.redelivery();
            long lost = redelivery.getOrDefault("callbacks_given_up", 0L);
            long[] row = {injected, inv.duplicateTouches(), inv.stuckRuns(), inv.missingActivationRuns(),
                    inv.callsWithoutTouchId(), inv.touchCountMismatches(), inv.capCountMismatches(), inv.poolLoadMismatches(),
                    other};
            for (int i = 0; i < row.length; i++) {
                totals[i] += row[i];
            }
            failed += broken.isEmpty() ? 0 : 1;
            out.printf("%6d %8d %10d %6d %8d %10d %8d %6d %6d %6d %8d %7.1f  %s%n", seed, row[0], row[1], row[2], row[3],
                    row[4], row[5], row[6], row[7], row[8], lost, (System.nanoTime() - s0) / 1e9,
                    broken.isEmpty() ? "pass" : "FAIL");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        out.printf("%6s %8d %10d %6d %8d %10d %8d %6d %6d %6d%n", "total", totals[0], totals[1], totals[2], totals[3],
                totals[4], totals[5], totals[6], totals[7], totals[8]);
        out.printf("%d of %d seeds held every invariant; %.1f s wall (%.1f s a seed)%n", seeds - failed, seeds, wall,
                wall / seeds);
        return failed == 0 ? 0 : 1;
    }

    private static double rate(String v) {
        try {
            double r = Double.parseDouble(v);
            if (r >= 0 && r < 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // the usage error below says what is expected
        }
        throw new UsageException("--faults is a rate from 0 up to (not including) 1, e.g. 0.05, got '" + v + "'");
    }
}
