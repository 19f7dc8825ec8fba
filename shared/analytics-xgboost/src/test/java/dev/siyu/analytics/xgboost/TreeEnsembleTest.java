package dev.siyu.analytics.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.ChurnTraining;
import dev.siyu.analytics.churn.SyntheticChurn;
import dev.siyu.analytics.churn.Table;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Java trees give XGBoost's own predictions: on rows with missing values (the default branches), whole
 * numbers such as support calls and tenure that fall exactly on split conditions (3.0, 35.0: equal goes right),
 * unseen categories, for the shallow trees scoring uses and for deeper ones whose
 * leaves sit at different depths, after training and after the model is saved and loaded. Float rounding of the
 * sums (their order) is the only difference allowed: 1e-6.
 */
class TreeEnsembleTest {
    private final XgboostLearner learner = new XgboostLearner(line -> { });

    @Test
    void javaTreesPredictWhatXgboostPredicts() {
        compare(BoostSettings.DEFAULT);
    }

    @Test
    void deeperUnevenTreesToo() {
        BoostSettings d = BoostSettings.DEFAULT;
        compare(new BoostSettings(0.1, 7, d.minChildWeight(), d.subsample(), d.columnSample(), d.l2(), 300, d.patience(),
                d.seed(), d.threads()));
    }

    private void compare(BoostSettings settings) {
        ChurnTraining.Trained trained = new ChurnTraining(learner, settings, line -> { })
                .train(SyntheticChurn.rows(5_000, 1), "churned", "customer", "t");
        XgboostLearner.Model model = (XgboostLearner.Model) trained.model();
        assertThat(model.trees()).as("the Java trees are used").isNotNull();
        XgboostLearner.Model loaded = (XgboostLearner.Model) learner.load(model.save());
        assertThat(loaded.trees()).isNotNull();
        assertThat(loaded.trees().trees()).isEqualTo(model.rounds());

        Table fresh = SyntheticChurn.rows(20_000, 9, new String[] {"basic", "pro", "enterprise"});
        float[][] rows = trained.card().encoding().encode(fresh);
        SplittableRandom rnd = new SplittableRandom(3);
        for (float[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (rnd.nextInt(8) == 0) {
                    row[c] = Float.NaN;
                }
            }
        }
        float[] expected = model.nativePredict(rows);
        float[] java = model.predict(rows);
        float[] javaLoaded = loaded.predict(rows);
        float[] one = model.predict(new float[][] {rows[17]});
        double worst = 0;
        for (int i = 0; i < rows.length; i++) {
            worst = Math.max(worst, Math.abs(java[i] - expected[i]));
            worst = Math.max(worst, Math.abs(javaLoaded[i] - expected[i]));
        }
        assertThat(worst).isLessThan(1e-6);
        assertThat(one[0]).isEqualTo(java[17]);
        assertThat(java).contains(new float[] {0.1f, 0.9f}, org.assertj.core.data.Offset.offset(0.05f));
    }
}
