package dev.siyu.local;

import dev.siyu.analytics.ltv.BgNbd;
import dev.siyu.analytics.ltv.BgNbdFit;
import dev.siyu.analytics.ltv.CustomerSummary;
import dev.siyu.analytics.ltv.GammaGamma;
import dev.siyu.analytics.ltv.GammaGammaFit;
import dev.siyu.analytics.ltv.SyntheticCustomers;
import dev.siyu.embedded.CliArgs;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./siyu bench ltv}: BG/NBD + Gamma-Gamma fitted on synthetic customers drawn with the published
 * CDNOW parameters (observed 26 to 52 weeks); prints each run's time and the recovered parameters.
 */
final class LtvBench {
    static final BgNbd TRUTH = new BgNbd(0.243, 4.414, 0.793, 2.426);
    static final GammaGamma SPEND = new GammaGamma(6.25, 3.74, 15.44);

    private LtvBench() {
    }

    static int run(List<String> argv, PrintStream out) {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("customers", "runs", "seed"));
        int n = args.integer("customers", 25_000, 100, 10_000_000);
        int runs = args.integer("runs", 3, 1, 100);
        int seed = args.integer("seed", 1, 0, Integer.MAX_VALUE);
        List<CustomerSummary> customers = new SyntheticCustomers(TRUTH, SPEND, seed).summaries(n, 26, 52);
        out.printf(Locale.ROOT, "%,d synthetic customers (truth r=0.243 alpha=4.414 a=0.793 b=2.426; p=6.25 q=3.74 v=15.44)%n", n);
        double best = Double.POSITIVE_INFINITY;
        for (int run = 1; run <= runs; run++) {
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            BgNbdFit bg = BgNbdFit.fit(customers);
            GammaGammaFit gg = GammaGammaFit.fit(customers);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            best = Math.min(best, seconds);
            out.printf(Locale.ROOT, "run %d: %.3f s (CPU %.3f s)  BG/NBD r=%.4f alpha=%.4f a=%.4f b=%.4f (%d evaluations)  "
                            + "Gamma-Gamma p=%.3f q=%.3f v=%.3f (%d evaluations)%n", run, seconds, cpu, bg.model().r(), bg.model().alpha(),
                    bg.model().a(), bg.model().b(), bg.evaluations(), gg.model().p(), gg.model().q(), gg.model().v(), gg.evaluations());
        }
        out.printf(Locale.ROOT, "fit BG/NBD + Gamma-Gamma on %,d customers: best %.3f s (target <= 2 s)%n", n, best);
        return best <= 2 ? 0 : 1;
    }
}
