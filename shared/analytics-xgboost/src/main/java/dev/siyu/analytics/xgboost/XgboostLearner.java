package dev.siyu.analytics.xgboost;

import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.ChurnLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * {@link ChurnLearner} on XGBoost4J: binary:logistic with histogram trees, early stopping on the
 * validation AUC. The best round count is stored in the model's attributes, so a loaded model predicts
 * with the same trees the holdout AUC was measured on.
 */
public final class XgboostLearner implements ChurnLearner {
    static final String BEST_ROUNDS = "siyu_rounds";

    @Override
    public BoostedModel train(FeatureMatrix train, FeatureMatrix validation, BoostSettings s) {
        try {
            DMatrix dtrain = matrix(train);
            DMatrix dvalid = matrix(validation);
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "binary:logistic");
            params.put("eval_metric", "auc");
            params.put("tree_method", "hist");
            params.put("eta", s.learningRate());
            params.put("max_depth", s.maxDepth());
            params.put("min_child_weight", s.minChildWeight());
            params.put("subsample", s.subsample());
            params.put("colsample_bytree", s.columnSample());
            params.put("lambda", s.l2());
            params.put("seed", s.seed());
            params.put("nthread", s.threads());
            params.put("verbosity", 0);
            Map<String, DMatrix> watches = new HashMap<>();
            watches.put("validation", dvalid);
            float[][] metrics = new float[1][s.maxRounds()];
            Booster booster = XGBoost.train(dtrain, params, s.maxRounds(), watches, metrics, null, null, s.patience());
            int best = bestRound(metrics[0], booster.getNumBoostedRound());
            booster.setAttr(BEST_ROUNDS, String.valueOf(best));
            booster.setFeatureNames(train.featureNames().toArray(new String[0]));
            dtrain.dispose();
            dvalid.dispose();
            return new Model(booster, best, train.featureNames());
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        }
    }

    /** The round (1-based count of trees) with the highest validation AUC among those trained. */
    static int bestRound(float[] auc, int trained) {
        int best = 0;
        for (int i = 1; i < Math.min(trained, auc.length); i++) {
            if (auc[i] > auc[best]) {
                best = i;
            }
        }
        return best + 1;
    }

    @Override
    public BoostedModel load(byte[] saved) {
        try {
            Booster booster = XGBoost.loadModel(saved);
            String rounds = booster.getAttr(BEST_ROUNDS);
            String[] names = booster.getFeatureNames();
            return new Model(booster, rounds == null ? booster.getNumBoostedRound() : Integer.parseInt(rounds),
                    names == null ? List.of() : List.of(names));
        } catch (XGBoostError e) {
            throw new IllegalStateException("not an XGBoost model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DMatrix matrix(FeatureMatrix m) throws XGBoostError {
        DMatrix d = new DMatrix(flatten(m.rows(), m.featureNames().size()), m.rows().length, m.featureNames().size(), Float.NaN);
        d.setLabel(m.labels());
        return d;
    }

    static float[] flatten(float[][] rows, int columns) {
        float[] flat = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * columns, columns);
        }
        return flat;
    }

    private record Model(Booster booster, int rounds, List<String> featureNames) implements BoostedModel {
        @Override
        public float[] predict(float[][] rows) {
            if (rows.length == 0) {
                return new float[0];
            }
            int columns = rows[0].length;
            try {
                float[][] p = booster.inplace_predict(flatten(rows, columns), rows.length, columns, Float.NaN,
                        new int[] {0, rounds});
                float[] out = new float[rows.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } catch (XGBoostError e) {
                throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] save() {
            try {
                return booster.toByteArray("ubj");
            } catch (XGBoostError e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<String, Double> gain() {
            try {
                return booster.getScore((String) null, "total_gain");
            } catch (XGBoostError e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String format() {
            return "XGBoost UBJSON";
        }
    }
}
