package dev.siyu.analytics.scoring;

import dev.siyu.analytics.churn.ChurnLearner;
import dev.siyu.analytics.ltv.BgNbd;

/** Where churn scores come from: the trained booster, or the BG/NBD fallback when training had too few examples. */
public sealed interface ChurnSource permits ChurnSource.Boosted, ChurnSource.Fallback {

    /** Scores {@code count} customers; {@code rows} is only read by the booster. */
    void score(ProfileFeatures[] features, float[][] rows, int count, double[] out);

    String name();

    record Boosted(ChurnLearner.BoostedModel model) implements ChurnSource {
        @Override
        public void score(ProfileFeatures[] features, float[][] rows, int count, double[] out) {
            float[][] batch = rows.length == count ? rows : java.util.Arrays.copyOf(rows, count);
            float[] p = model.predict(batch);
            for (int i = 0; i < count; i++) {
                out[i] = p[i];
            }
        }

        @Override
        public String name() {
            return "xgboost";
        }
    }

    /**
     * P(no purchase in the label window) under BG/NBD (weeks), the CLI's fallback. A customer who never bought
     * has no purchase history to condition on and scores the population's chance of no purchase in the window
     * (the same formula at x = 0, T = 0: (alpha / (alpha + t))^r).
     */
    record Fallback(BgNbd model, double windowWeeks) implements ChurnSource {
        @Override
        public void score(ProfileFeatures[] features, float[][] rows, int count, double[] out) {
            for (int i = 0; i < count; i++) {
                ProfileFeatures f = features[i];
                out[i] = f.purchased()
                        ? model.probabilityNoPurchase(windowWeeks, f.repeatPurchases(), f.firstToLastWeeks(), f.firstToCutoffWeeks())
                        : model.probabilityNoPurchase(windowWeeks, 0, 0, 0);
            }
        }

        @Override
        public String name() {
            return "bgnbd";
        }
    }
}
