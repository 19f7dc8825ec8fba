package dev.siyu.local;

import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.ChurnLearner;
import dev.siyu.analytics.churn.ChurnTraining;
import dev.siyu.analytics.churn.SyntheticChurn;
import dev.siyu.analytics.churn.Table;
import dev.siyu.analytics.xgboost.XgboostLearner;
import dev.siyu.embedded.CliArgs;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./siyu bench churn}: an XGBoost churn model trained on a synthetic table, then the encoding and
 * prediction rate over many rows in batches, and one row at a time (the on-demand case) with its latency
 * percentiles. In process, no I/O.
 */
final class ChurnBench {
    private ChurnBench() {
    }

    static int run(List<String> argv, PrintStream out) {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("rows", "batch", "single"));
        int rows = args.integer("rows", 200_000, 1_000, 10_000_000);
        int batch = args.integer("batch", 10_000, 1, 1_000_000);
        int single = args.integer("single", 20_000, 100, 1_000_000);
        ChurnTraining.Trained trained = new ChurnTraining(new XgboostLearner(line -> { }), BoostSettings.DEFAULT, line -> { })
                .train(SyntheticChurn.rows(5_000, 1), "churned", "customer", "bench");
        ChurnLearner.BoostedModel model = trained.model();
        out.printf(Locale.ROOT, "model: %d features, %d trees, holdout AUC %.3f%n", trained.card().features(),
                trained.card().rounds(), trained.card().holdoutAuc());
        Table table = SyntheticChurn.rows(rows, 2);
        // Warm-up: the JIT and XGBoost's first prediction.
        score(trained, table.rows().subList(0, Math.min(batch, rows)), table);
        long encodeNanos = 0;
        long predictNanos = 0;
        double checksum = 0;
        for (int from = 0; from < rows; from += batch) {
            List<List<String>> part = table.rows().subList(from, Math.min(rows, from + batch));
            long t0 = System.nanoTime();
            float[][] x = trained.card().encoding().encode(new Table("bench", table.columns(), part));
            long t1 = System.nanoTime();
            float[] p = model.predict(x);
            long t2 = System.nanoTime();
            encodeNanos += t1 - t0;
            predictNanos += t2 - t1;
            checksum += p[0];
        }
        double seconds = (encodeNanos + predictNanos) / 1e9;
        out.printf(Locale.ROOT, "batch:  %,d rows in batches of %,d: %,.0f rows/s (encode %,.0f rows/s, predict %,.0f rows/s)%n",
                rows, batch, rows / seconds, rows / (encodeNanos / 1e9), rows / (predictNanos / 1e9));
        long[] latency = new long[single];
        for (int i = 0; i < single; i++) {
            List<List<String>> one = table.rows().subList(i % rows, i % rows + 1);
            long t0 = System.nanoTime();
            checksum += score(trained, one, table)[0];
            latency[i] = System.nanoTime() - t0;
        }
        Arrays.sort(latency);
        out.printf(Locale.ROOT, "single: %,d customers one at a time: p50 %.3f ms, p99 %.3f ms, max %.3f ms (checksum %.3f)%n",
                single, latency[single / 2] / 1e6, latency[(int) (single * 0.99)] / 1e6, latency[single - 1] / 1e6, checksum);
        return 0;
    }

    private static float[] score(ChurnTraining.Trained trained, List<List<String>> rows, Table like) {
        return trained.model().predict(trained.card().encoding().encode(new Table("bench", like.columns(), rows)));
    }
}
