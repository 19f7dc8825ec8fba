package dev.siyu.analytics.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prints the batch rate of features + BG/NBD fallback churn + value + propensities on synthetic histories
 * (about 30 happenings each); the booster's predict rate is measured in analytics-xgboost. Asserts only that
 * it runs, since the machine is shared: the numbers (per second of the thread's CPU time, which the other builds on
 * the machine do not inflate as they do wall clock) go to docs/intelligence.md.
 */
class BatchScoringBenchTest {
    @Test
    void batchScoringRate() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        List<CustomerHistory> all = SyntheticHistories.draw(20_000, now, 21);
        ScoringTraining.Trained t = new ScoringTraining(null, s -> { }).train(all, now, TrainingSettings.DEFAULT);
        BatchScorer scorer = new BatchScorer(t.model());
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double best = 0;
        double bestFeatures = 0;
        double bestPredict = 0;
        for (int run = 0; run < 5; run++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            int n = 0;
            for (int i = 0; i < all.size(); i += 1_000) {
                n += scorer.score(all.subList(i, Math.min(all.size(), i + 1_000)), now, Map.of()).size();
            }
            best = Math.max(best, n / ((cpu.getCurrentThreadCpuTime() - t0) / 1e9));
            long t1 = cpu.getCurrentThreadCpuTime();
            double sink = 0;
            for (CustomerHistory h : all) {
                sink += PointInTimeFeatures.at(h, now).recencyDays();
            }
            bestFeatures = Math.max(bestFeatures, all.size() / ((cpu.getCurrentThreadCpuTime() - t1) / 1e9));
            assertThat(sink).isPositive();
            // The measure: features + the churn prediction (here the BG/NBD fallback's), per batch.
            long t2 = cpu.getCurrentThreadCpuTime();
            double[] churn = new double[1_000];
            for (int i = 0; i < all.size(); i += 1_000) {
                int size = Math.min(1_000, all.size() - i);
                ProfileFeatures[] f = new ProfileFeatures[size];
                float[][] rows = new float[size][];
                for (int j = 0; j < size; j++) {
                    f[j] = PointInTimeFeatures.at(all.get(i + j), now);
                    rows[j] = f[j].row(FeatureToggles.ALL_ON);
                }
                t.model().churn().score(f, rows, size, churn);
                sink += churn[0];
            }
            bestPredict = Math.max(bestPredict, all.size() / ((cpu.getCurrentThreadCpuTime() - t2) / 1e9));
        }
        System.out.printf("per second of CPU time, one thread: batch scoring (features + BG/NBD churn + CLV + propensities)"
                + " %.0f profiles; features alone %.0f profiles; features + churn prediction %.0f profiles%n", best,
                bestFeatures, bestPredict);
        assertThat(best).isPositive();
    }
}
