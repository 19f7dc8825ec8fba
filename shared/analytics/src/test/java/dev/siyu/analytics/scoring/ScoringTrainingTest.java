package dev.siyu.analytics.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.analytics.churn.Auc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringTrainingTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void withoutABoosterTheChurnScoreFallsBackToBgNbdAndStillRanksChurners() {
        List<CustomerHistory> all = SyntheticHistories.draw(3_000, NOW, 5);
        Instant asOf = NOW.minus(Duration.ofDays(90));
        List<CustomerHistory> known = all.stream().map(h -> new CustomerHistory(h.customerId(), h.addedAt(), h.tier(),
                h.happenings().stream().filter(e -> !e.at().isAfter(asOf)).toList())).toList();
        ScoringTraining.Trained t = new ScoringTraining(null, s -> { }).train(known, asOf, TrainingSettings.DEFAULT);
        assertThat(t.fallbackReason()).contains("BG/NBD");
        List<CustomerScores> scores = new BatchScorer(t.model()).score(known, asOf, Map.of());
        float[] predicted = new float[all.size()];
        float[] churned = new float[all.size()];
        for (int i = 0; i < all.size(); i++) {
            CustomerScores s = scores.get(i);
            assertThat(s.model()).isEqualTo("bgnbd");
            assertThat(s.churn()).isBetween(0.0, 1.0);
            assertThat(s.probabilityAlive()).isBetween(0.0, 1.0);
            assertThat(s.clv()).isGreaterThanOrEqualTo(0);
            predicted[i] = (float) s.churn();
            churned[i] = all.get(i).happenings().stream().anyMatch(e -> e.kind() == Happening.Kind.PURCHASE
                    && e.at().isAfter(asOf)) ? 0 : 1;
        }
        assertThat(Auc.of(predicted, churned)).isGreaterThan(0.7);
    }

    @Test
    void tiersSplitTheBatchByClvCutPoints() {
        List<CustomerHistory> all = SyntheticHistories.draw(2_000, NOW, 9);
        ScoringTraining.Trained t = new ScoringTraining(null, s -> { }).train(all, NOW, TrainingSettings.DEFAULT);
        List<CustomerScores> first = new BatchScorer(t.model()).score(all, NOW, Map.of());
        ScoringModel withCuts = t.model().withTierCuts(BatchScorer.tierCuts(first));
        List<CustomerScores> scored = new BatchScorer(withCuts).score(all, NOW, Map.of());
        long top = scored.stream().filter(s -> s.ltvTier().equals("top")).count();
        long positive = scored.stream().filter(s -> s.clv() > 0).count();
        assertThat((double) top / positive).isBetween(0.08, 0.12);
    }

    @Test
    void aTenantWithoutPurchasesGetsNoChurnScoreRatherThanAGuess() {
        List<CustomerHistory> none = List.of(new CustomerHistory("x", NOW.minus(Duration.ofDays(200)), 0, List.of()));
        ScoringTraining.Trained t = new ScoringTraining(null, s -> { }).train(none, NOW, TrainingSettings.DEFAULT);
        CustomerScores s = new BatchScorer(t.model()).score(none, NOW, Map.of()).get(0);
        assertThat(s.churn()).isNaN();
        assertThat(s.model()).isEqualTo("none");
    }
}
