package dev.siyu.analytics.xgboost;

import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.ChurnLearner;
import dev.siyu.analytics.churn.TreeEnsemble;
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
 * validation log loss. The best round count is stored in the model's attributes, so a loaded model predicts
 * with the same trees the holdout AUC was measured on.
 */
public final class XgboostLearner implements ChurnLearner {
    static final String BEST_ROUNDS = "siyu_rounds";

    private final java.util.function.Consumer<String> progress;

    public XgboostLearner(java.util.function.Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * Whether XGBoost's native library loads in this process (it needs a matching platform and libgomp): callers
     * without it score with the BG/NBD fallback rather than fail.
     */
    public static boolean nativeLibraryLoads() {
        try {
            new DMatrix(new float[] {0}, 1, 1, Float.NaN).dispose();
            return true;
        } catch (XGBoostError | LinkageError e) {
            return false;
        }
    }

    @Override
    public BoostedModel train(FeatureMatrix train, FeatureMatrix validation, BoostSettings s) {
        try {
            DMatrix dtrain = matrix(train);
            DMatrix dvalid = matrix(validation);
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "binary:logistic");
            // Early stopping on log loss, not AUC: AUC ignores calibration and stops while scores are still shrunk to the mean.
            params.put("eval_metric", "logloss");
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
            // Rounds one at a time (not XGBoost.train) so early stopping and progress are ours: XGBoost.train
            // prints every round's score from native code, which no Java logging setting silences.
            Booster booster = XGBoost.train(dtrain, params, 0, new HashMap<>(), null, null);
            float[] logloss = new float[1];
            float bestLoss = Float.POSITIVE_INFINITY;
            int best = 0;
            for (int round = 0; round < s.maxRounds(); round++) {
                booster.update(dtrain, round);
                booster.evalSet(new DMatrix[] {dvalid}, new String[] {"validation"}, round, logloss);
                if (logloss[0] < bestLoss) {
                    bestLoss = logloss[0];
                    best = round + 1;
                } else if (round + 1 - best >= s.patience()) {
                    break;
                }
                if ((round + 1) % 100 == 0) {
                    progress.accept(String.format(java.util.Locale.ROOT, "churn: %d trees, validation log loss %.4f (best %.4f at %d)",
                            round + 1, logloss[0], bestLoss, best));
                }
            }
            booster.setAttr(BEST_ROUNDS, String.valueOf(best));
            booster.setFeatureNames(train.featureNames().toArray(new String[0]));
            singleThreaded(booster);
            dtrain.dispose();
            dvalid.dispose();
            return Model.of(booster, best, train.featureNames());
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        }
    }

    @Override
    public BoostedModel load(byte[] saved) {
        try {
            Booster booster = XGBoost.loadModel(saved);
            String rounds = booster.getAttr(BEST_ROUNDS);
            String[] names = booster.getFeatureNames();
            singleThreaded(booster);
            return Model.of(booster, rounds == null ? booster.getNumBoostedRound() : Integer.parseInt(rounds),
                    names == null ? List.of() : List.of(names));
        } catch (XGBoostError e) {
            throw new IllegalStateException("not an XGBoost model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Predictions run on the caller's thread: one customer's row costs microseconds, and waking an OpenMP
     * team for it costs more (and stalls for milliseconds when the cores are busy). Batches are split by
     * the caller if they want threads.
     */
    private static void singleThreaded(Booster booster) throws XGBoostError {
        booster.setParam("nthread", 1);
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

    /**
     * The booster and its trees in Java ({@link TreeEnsemble}): predictions go through the Java trees when the model
     * is one they evaluate, else through the library. A batch of at least {@link #PARALLEL_ROWS} rows is split across
     * the machine's cores (the nightly run); fewer rows, one customer on demand above all, stay on the caller's thread.
     */
    record Model(Booster booster, int rounds, List<String> featureNames, TreeEnsemble trees) implements BoostedModel {
        static final int PARALLEL_ROWS = 16_384;

        static Model of(Booster booster, int rounds, List<String> featureNames) throws XGBoostError {
            TreeEnsemble trees = TreeEnsemble.fromXgboostJson(booster.toByteArray("json"), rounds).orElse(null);
            return new Model(booster, rounds, featureNames, trees);
        }

        @Override
        public float[] predict(float[][] rows) {
            if (trees == null) {
                return nativePredict(rows);
            }
            float[] out = new float[rows.length];
            int cores = Runtime.getRuntime().availableProcessors();
            if (rows.length < PARALLEL_ROWS || cores < 2) {
                trees.predict(rows, 0, rows.length, out);
                return out;
            }
            int parts = Math.min(cores, rows.length / (PARALLEL_ROWS / 4));
            int size = (rows.length + parts - 1) / parts;
            java.util.stream.IntStream.range(0, parts).parallel()
                    .forEach(part -> trees.predict(rows, part * size, Math.min(rows.length, (part + 1) * size), out));
            return out;
        }

        /** XGBoost's own prediction (its CPU predictor, one thread): what the Java trees are checked against. */
        float[] nativePredict(float[][] rows) {
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
