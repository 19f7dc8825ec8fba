package dev.siyu.analytics.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.ChurnScoring;
import dev.siyu.analytics.churn.ChurnTraining;
import dev.siyu.analytics.churn.ModelCard;
import dev.siyu.analytics.churn.NotEnoughExamples;
import dev.siyu.analytics.churn.SyntheticChurn;
import dev.siyu.analytics.churn.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Train on a table with a known signal, store the model and its card, load them and score new rows. */
class ChurnRoundTripTest {
    final XgboostLearner learner = new XgboostLearner(line -> { });
    final ChurnTraining training = new ChurnTraining(learner, BoostSettings.DEFAULT, line -> { });

    @Test
    void learnsTheKnownSignalAndScoresTheSameAfterLoading() {
        Table table = SyntheticChurn.rows(5_000, 1);

        ChurnTraining.Trained trained = training.train(table, "churned", "customer", "2026-01-01T00:00:00Z");
        ModelCard card = ModelCard.fromJson(trained.card().toJson(), "model-card.json");
        ChurnLearnerModel loaded = new ChurnLearnerModel(learner.load(trained.model().save()));

        assertThat(card.holdoutAuc()).isGreaterThan(0.75);
        assertThat(card.holdoutRows()).isEqualTo(1_000);
        assertThat(card.churned() + card.retained()).isEqualTo(5_000);
        assertThat(card.calibration()).hasSize(10);
        // The table was drawn from a logistic model: each tenth's mean score is close to its churn rate.
        assertThat(card.calibration()).allSatisfy(b -> assertThat(Math.abs(b.meanPredicted() - b.observedRate())).isLessThan(0.12));
        // The signal is in support calls, tenure and the plan; the region and the noise column carry none.
        assertThat(card.importance().get(0).feature()).isIn("support_calls", "tenure_months");
        assertThat(card.skippedColumns()).isEmpty();
        Table fresh = SyntheticChurn.rows(200, 2);
        List<ChurnScoring.Score> before = ChurnScoring.score(card, trained.model(), fresh, null);
        List<ChurnScoring.Score> after = ChurnScoring.score(card, loaded.model(), fresh, null);
        assertThat(after).isEqualTo(before);
        assertThat(after.get(0).id()).isEqualTo("cust-0");
    }

    @Test
    void unseenCategoriesAndAMissingLabelColumnStillScore() {
        ChurnTraining.Trained trained = training.train(SyntheticChurn.rows(3_000, 3), "churned", null, "t");
        Table withUnseen = SyntheticChurn.rows(50, 4, new String[] {"enterprise", "trial", "pro"});
        List<String> columns = new ArrayList<>(withUnseen.columns());
        int label = columns.indexOf("churned");
        columns.remove(label);
        List<List<String>> rows = new ArrayList<>();
        for (List<String> r : withUnseen.rows()) {
            List<String> copy = new ArrayList<>(r);
            copy.remove(label);
            rows.add(copy);
        }

        List<ChurnScoring.Score> scores = ChurnScoring.score(trained.card(), trained.model(), new Table("new", columns, rows), null);

        assertThat(scores).hasSize(50);
        assertThat(scores).allSatisfy(s -> assertThat(s.score()).isBetween(0.0, 1.0));
        assertThat(scores.get(0).id()).isEqualTo("1");
    }

    @Test
    void refusesToTrainOnFewerThanAHundredOfAClass() {
        Table table = SyntheticChurn.rows(3_000, 5);
        List<List<String>> rows = new ArrayList<>();
        int churned = 0;
        for (List<String> r : table.rows()) {
            if (r.get(7).equals("Yes") && churned++ >= 60) {
                continue;
            }
            rows.add(r);
        }

        assertThatThrownBy(() -> training.train(new Table("few", table.columns(), rows), "churned", null, "t"))
                .isInstanceOf(NotEnoughExamples.class)
                .hasMessageContaining("only 60 churned");
    }

    private record ChurnLearnerModel(dev.siyu.analytics.churn.ChurnLearner.BoostedModel model) {
    }
}
