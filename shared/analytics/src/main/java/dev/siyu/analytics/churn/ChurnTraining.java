package dev.siyu.analytics.churn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a churn classifier on any table: labels read as yes/no, a stratified 80/20 holdout with a fixed
 * seed, the encoding learned from the training 80% only, early stopping on a stratified 20% of the training
 * part, then AUC and calibration on the untouched holdout. The booster comes through {@link ChurnLearner}.
 */
public final class ChurnTraining {
    public static final int MIN_PER_CLASS = 100;
    static final double HOLDOUT = 0.2;
    static final double VALIDATION = 0.2;

    private final ChurnLearner learner;
    private final BoostSettings settings;
    private final Consumer<String> progress;

    public ChurnTraining(ChurnLearner learner, BoostSettings settings, Consumer<String> progress) {
        this.learner = learner;
        this.settings = settings;
        this.progress = progress;
    }

    /** A model and its card. */
    public record Trained(ModelCard card, ChurnLearner.BoostedModel model) {
    }

    /** {@code idColumn} may be null; {@code trainedAt} is written into the card as given. */
    public Trained train(Table table, String labelColumn, String idColumn, String trainedAt) {
        int label = table.column(labelColumn, "--label");
        int id = idColumn == null ? -1 : table.column(idColumn, "--id");
        float[] labels = Labels.of(table, label);
        int churned = 0;
        for (float l : labels) {
            churned += (int) l;
        }
        int retained = labels.length - churned;
        if (churned < MIN_PER_CLASS || retained < MIN_PER_CLASS) {
            throw new NotEnoughExamples(churned, retained);
        }
        long started = System.nanoTime();
        int[] all = new int[labels.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        StratifiedSplit outer = StratifiedSplit.of(all, labels, HOLDOUT, settings.seed());
        StratifiedSplit inner = StratifiedSplit.of(outer.train(), labels, VALIDATION, settings.seed() + 1);
        Encoding encoding = Encoding.learn(subset(table, outer.train()), label, id);
        progress.accept(String.format(java.util.Locale.ROOT,
                "churn: %d rows (%d churned), %d features; training on %d, early stopping on %d, holdout %d ...",
                labels.length, churned, encoding.featureNames().size(), inner.train().length, inner.test().length,
                outer.test().length));
        ChurnLearner.BoostedModel model = learner.train(matrix(table, encoding, labels, inner.train()),
                matrix(table, encoding, labels, inner.test()), settings);
        ChurnLearner.FeatureMatrix holdout = matrix(table, encoding, labels, outer.test());
        float[] scores = model.predict(holdout.rows());
        double auc = Auc.of(scores, holdout.labels());
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> skipped = encoding.columns().stream().filter(c -> c.kind() == ColumnSpec.Kind.SKIPPED)
                .map(ColumnSpec::name).toList();
        ModelCard card = new ModelCard(1, "XGBoost binary:logistic (gradient-boosted trees)", "model.ubj", model.format(),
                trainedAt, table.name(), labelColumn, idColumn, labels.length, churned, retained, inner.train().length,
                inner.test().length, outer.test().length, encoding.featureNames().size(), model.rounds(), auc, seconds,
                settings, CalibrationBin.deciles(scores, holdout.labels()), importance(model.gain()), skipped, encoding);
        return new Trained(card, model);
    }

    static List<ModelCard.Importance> importance(Map<String, Double> gain) {
        double total = gain.values().stream().mapToDouble(Double::doubleValue).sum();
        List<ModelCard.Importance> out = new ArrayList<>();
        gain.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(20)
                .forEach(e -> out.add(new ModelCard.Importance(e.getKey(), total > 0 ? e.getValue() / total : 0)));
        return out;
    }

    private static Table subset(Table table, int[] rows) {
        List<List<String>> r = new ArrayList<>(rows.length);
        for (int i : rows) {
            r.add(table.rows().get(i));
        }
        return new Table(table.name(), table.columns(), r);
    }

    private static ChurnLearner.FeatureMatrix matrix(Table table, Encoding encoding, float[] labels, int[] rows) {
        float[][] x = encoding.encode(subset(table, rows));
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = labels[rows[i]];
        }
        return new ChurnLearner.FeatureMatrix(x, y, encoding.featureNames());
    }
}
