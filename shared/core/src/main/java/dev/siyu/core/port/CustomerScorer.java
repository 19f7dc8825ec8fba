package dev.siyu.core.port;

import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileScores;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.List;

/**
 * The churn, value and propensity models (shared/analytics, with the XGBoost booster in the scoring function):
 * trained from the customers' timelines and scoring them. Core decides when, writes the scores to profiles and
 * starts the journeys they trigger; the implementation keeps the trained model (S3 in AWS, a directory locally).
 */
public interface CustomerScorer {

    /** One customer as the models read them: the profile and its timeline, oldest first. */
    record Customer(CustomerProfile profile, List<TimelineEvent> timeline) {
        public Customer {
            timeline = List.copyOf(timeline);
        }
    }

    /** churn is NaN when there is no model to score with (no purchases yet): the stored score is then kept. */
    record Scored(String customerId, double churn, ProfileScores scores) {
    }

    /** Trains on every customer of the tenant as of now and stores the model; returns a line saying what it did. */
    String train(String tenant, List<Customer> customers, Instant now, ScoringSettings settings);

    /**
     * Scores customers with the tenant's stored model (for the whole tenant, training first when there is none).
     * Called with the whole tenant at night (which also clusters the personas) and with one customer on demand (who
     * keeps the persona the night gave; before the tenant's first training nothing is scored, as a model is never
     * fitted on a handful of customers).
     */
    List<Scored> score(String tenant, List<Customer> customers, Instant now, ScoringSettings settings);

    /** Where no scoring runs (functions without the models): scores nothing, so stored scores stay. */
    CustomerScorer NONE = new CustomerScorer() {
        @Override
        public String train(String tenant, List<Customer> customers, Instant now, ScoringSettings settings) {
            return "no scorer in this process";
        }

        @Override
        public List<Scored> score(String tenant, List<Customer> customers, Instant now, ScoringSettings settings) {
            return List.of();
        }
    };
}
