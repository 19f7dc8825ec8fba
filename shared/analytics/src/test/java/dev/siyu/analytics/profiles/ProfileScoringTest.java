package dev.siyu.analytics.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.port.CustomerScorer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a tenant's model comes about: a whole tenant's scoring trains one; a single customer on demand never does. */
class ProfileScoringTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void onDemandBeforeTheFirstTrainingScoresNothingAndStoresNoModel() {
        List<CustomerScorer.Customer> all = OnDemandScoringBenchTest.customers(500, 11);
        MemoryModelStore models = new MemoryModelStore();
        ProfileScoring scoring = new ProfileScoring(null, models, line -> { });

        // A customer card opened before the first night: no model fitted on one customer, nothing stored.
        assertThat(scoring.score("t", List.of(all.get(0)), NOW, ScoringSettings.DEFAULTS)).isEmpty();
        assertThat(models.load("t", StoredScoringModel.FILE)).isEmpty();

        // The night scores the whole tenant (training first), after which one customer is scored on demand as at night.
        List<CustomerScorer.Scored> night = scoring.score("t", all, NOW, ScoringSettings.DEFAULTS);
        assertThat(models.load("t", StoredScoringModel.FILE)).isPresent();
        List<CustomerScorer.Scored> one = scoring.score("t", List.of(all.get(0)), NOW, ScoringSettings.DEFAULTS);
        assertThat(one).hasSize(1);
        assertThat(one.get(0).churn()).isEqualTo(night.get(0).churn());
        assertThat(one.get(0).scores().clv()).isEqualTo(night.get(0).scores().clv());
        assertThat(one.get(0).scores().persona()).isEqualTo("");
    }
}
