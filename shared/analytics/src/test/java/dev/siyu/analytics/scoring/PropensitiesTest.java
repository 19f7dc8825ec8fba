package dev.siyu.analytics.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.siyu.analytics.churn.Auc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropensitiesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void everyPropensityStaysInTheUnitIntervalAndFollowsItsRule() {
        for (CustomerHistory h : SyntheticHistories.draw(2_000, NOW, 3)) {
            ProfileFeatures f = PointInTimeFeatures.at(h, NOW);
            for (double intent : new double[] {0, 0.3, 1}) {
                Propensities p = Propensities.of(f, intent);
                assertThat(p.engagement()).isBetween(0.0, 1.0);
                assertThat(p.discountSensitivity()).isCloseTo(
                        (f.couponsUsed() + 1.0) / (f.couponsUsed() + f.couponsIgnored() + 2.0), within(1e-12));
                assertThat(p.campaign()).isBetween(Math.max(p.engagement(), p.purchaseIntent()), 1.0);
            }
        }
    }

    /**
     * The stated validation of purchase intent: fitted on histories up to 60 days ago, P(a purchase in the next 30
     * days) ranks the customers who then bought in those 30 days above those who did not.
     */
    @Test
    void purchaseIntentRanksTheNextMonthsBuyersFirst() {
        List<CustomerHistory> all = SyntheticHistories.draw(4_000, NOW, 11);
        Instant asOf = NOW.minus(Duration.ofDays(60));
        ScoringTraining.Trained t = new ScoringTraining(null, s -> { }).train(cut(all, asOf), asOf, TrainingSettings.DEFAULT);
        List<CustomerScores> scores = new BatchScorer(t.model()).score(cut(all, asOf), asOf, Map.of());
        float[] predicted = new float[all.size()];
        float[] bought = new float[all.size()];
        for (int i = 0; i < all.size(); i++) {
            predicted[i] = (float) scores.get(i).propensities().purchaseIntent();
            Instant end = asOf.plus(Duration.ofDays(30));
            bought[i] = all.get(i).happenings().stream().anyMatch(e -> e.kind() == Happening.Kind.PURCHASE
                    && e.at().isAfter(asOf) && !e.at().isAfter(end)) ? 1 : 0;
        }
        assertThat(Auc.of(predicted, bought)).isGreaterThan(0.7);
    }

    private static List<CustomerHistory> cut(List<CustomerHistory> all, Instant asOf) {
        return all.stream().map(h -> new CustomerHistory(h.customerId(), h.addedAt(), h.tier(),
                h.happenings().stream().filter(e -> !e.at().isAfter(asOf)).toList())).toList();
    }
}
