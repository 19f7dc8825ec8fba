package dev.siyu.analytics.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.analytics.scoring.BatchScorer;
import dev.siyu.analytics.scoring.CustomerHistory;
import dev.siyu.analytics.scoring.FeatureToggles;
import dev.siyu.analytics.scoring.PointInTimeFeatures;
import dev.siyu.analytics.scoring.ProfileFeatures;
import dev.siyu.analytics.scoring.ScoringTraining;
import dev.siyu.analytics.scoring.SyntheticHistories;
import dev.siyu.analytics.scoring.TrainingSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch measure with the real model: point-in-time features + the trained booster's churn prediction,
 * profiles per second, in batches of 10,000 on one thread and as one batch of the whole population (split across
 * the cores); then the whole nightly row (features, churn, P(alive), 12-month CLV, propensities), and the
 * prediction alone through XGBoost's own predict and through the Java trees. Best of 5; the one-thread figures are
 * per second of the thread's CPU time, as the machine is shared with other builds (wall clock over-counts by the
 * load); prints the numbers for docs/intelligence.md and asserts only that they were measured.
 */
class BoostedScoringBenchTest {
    @Test
    void batchScoringRateWithTheBooster() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        List<CustomerHistory> all = new ArrayList<>(SyntheticHistories.draw(25_000, now, 21));
        ScoringTraining.Trained t = new ScoringTraining(new XgboostLearner(line -> { }), line -> { })
                .train(all, now, TrainingSettings.DEFAULT);
        assertThat(t.card()).as("the booster was trained: " + t.fallbackReason()).isNotNull();
        while (all.size() < 100_000) {
            all.addAll(all.subList(0, Math.min(25_000, 100_000 - all.size())));
        }
        XgboostLearner.Model booster = (XgboostLearner.Model) ((dev.siyu.analytics.scoring.ChurnSource.Boosted) t.model().churn()).model();
        int n = all.size();
        double batched = 0;
        double batchedNative = 0;
        double whole = 0;
        double row = 0;
        double nativeOnly = 0;
        double javaOnly = 0;
        double sink = 0;
        float[][] rows = new float[n][];
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int run = 0; run < 5; run++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int from = 0; from < n; from += 10_000) {
                int size = Math.min(10_000, n - from);
                float[][] part = new float[size][];
                for (int i = 0; i < size; i++) {
                    part[i] = PointInTimeFeatures.at(all.get(from + i), now).row(FeatureToggles.ALL_ON);
                }
                sink += booster.predict(part)[0];
            }
            batched = Math.max(batched, n / ((cpu.getCurrentThreadCpuTime() - t0) / 1e9));

            long t5 = cpu.getCurrentThreadCpuTime();
            for (int from = 0; from < n; from += 10_000) {
                int size = Math.min(10_000, n - from);
                float[][] part = new float[size][];
                for (int i = 0; i < size; i++) {
                    part[i] = PointInTimeFeatures.at(all.get(from + i), now).row(FeatureToggles.ALL_ON);
                }
                sink += booster.nativePredict(part)[0];
            }
            batchedNative = Math.max(batchedNative, n / ((cpu.getCurrentThreadCpuTime() - t5) / 1e9));

            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                rows[i] = PointInTimeFeatures.at(all.get(i), now).row(FeatureToggles.ALL_ON);
            }
            sink += booster.predict(rows)[0];
            whole = Math.max(whole, n / ((System.nanoTime() - t1) / 1e9));

            long t2 = cpu.getCurrentThreadCpuTime();
            BatchScorer scorer = new BatchScorer(t.model());
            for (int from = 0; from < n; from += 10_000) {
                sink += scorer.score(all.subList(from, Math.min(n, from + 10_000)), now, Map.of()).get(0).churn();
            }
            row = Math.max(row, n / ((cpu.getCurrentThreadCpuTime() - t2) / 1e9));

            long t3 = cpu.getCurrentThreadCpuTime();
            for (int from = 0; from < n; from += 10_000) {
                sink += booster.nativePredict(java.util.Arrays.copyOfRange(rows, from, Math.min(n, from + 10_000)))[0];
            }
            nativeOnly = Math.max(nativeOnly, n / ((cpu.getCurrentThreadCpuTime() - t3) / 1e9));

            long t4 = cpu.getCurrentThreadCpuTime();
            float[] out = new float[n];
            booster.trees().predict(rows, 0, n, out);
            sink += out[0];
            javaOnly = Math.max(javaOnly, n / ((cpu.getCurrentThreadCpuTime() - t4) / 1e9));
        }
        System.out.printf(java.util.Locale.ROOT, "booster (%d trees, depth %d), %d profiles, %d cores:%n"
                        + "  features + booster churn, batches of 10,000, one thread: %,.0f profiles per CPU second"
                        + " (with XGBoost's own predict: %,.0f)%n"
                        + "  features + booster churn, one batch of %d (predict split across cores): %,.0f profiles/s (wall clock)%n"
                        + "  the whole nightly row (features, booster churn, P(alive), 12-month CLV, propensities): %,.0f profiles per CPU second%n"
                        + "  predict alone: XGBoost inplace_predict %,.0f rows, Java trees %,.0f rows per CPU second (one thread)%n",
                booster.trees().trees(), booster.trees().depth(), n, Runtime.getRuntime().availableProcessors(), batched, batchedNative, n,
                whole, row, nativeOnly, javaOnly);
        assertThat(sink).isPositive();
        assertThat(new ProfileFeatures[0]).isEmpty();
    }
}
