package dev.siyu.analytics.churn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** One tenth of the holdout by predicted score: its score range, size, mean prediction and observed churn rate. */
public record CalibrationBin(double fromScore, double toScore, int rows, double meanPredicted, double observedRate) {

    static List<CalibrationBin> deciles(float[] scores, float[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        List<CalibrationBin> bins = new ArrayList<>();
        int bins10 = Math.min(10, n);
        for (int b = 0; b < bins10; b++) {
            int from = b * n / bins10;
            int to = (b + 1) * n / bins10;
            if (to <= from) {
                continue;
            }
            double predicted = 0;
            double observed = 0;
            for (int k = from; k < to; k++) {
                predicted += scores[order[k]];
                observed += labels[order[k]];
            }
            bins.add(new CalibrationBin(scores[order[from]], scores[order[to - 1]], to - from, predicted / (to - from),
                    observed / (to - from)));
        }
        return bins;
    }
}
