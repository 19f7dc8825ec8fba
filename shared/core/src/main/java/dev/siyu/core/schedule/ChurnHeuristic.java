package dev.siyu.core.schedule;

import dev.siyu.core.condition.Facts;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;

/**
 * A provisional churn score until the trained model lands: a logistic of recency and frequency,
 *
 * <pre>
 *   z     = intercept + daysSinceInteraction / interactionDays + daysSincePurchase / purchaseDays
 *           - orderWeight * ln(1 + orders)
 *   score = 1 / (1 + e^-z), rounded to 0.01
 * </pre>
 *
 * Days count from the add when the customer never interacted or purchased (as conditions see them).
 * With positive parameters the score never falls as either silence grows and never rises with more
 * orders, so a customer only drifts towards the warning by going quiet. Interaction weighs double:
 * replies and clicks come far more often than purchases, so a missing one says more per day.
 *
 * <p>With {@link #DEFAULT} a customer who never bought and never replied crosses
 * {@link LifecycleStage#WARNING_SCORE} after 49 days (z = -4 + d/10), so the warning fires between
 * the mature phase and dormancy (90 days); three orders push that back to about 56 days. Rounding keeps
 * a customer whose score barely moves from being rewritten every day.
 */
public record ChurnHeuristic(double intercept, double interactionDays, double purchaseDays, double orderWeight)
        implements ChurnScorer {
    public static final ChurnHeuristic DEFAULT = new ChurnHeuristic(-4.0, 15.0, 30.0, 0.5);

    public ChurnHeuristic {
        if (!(interactionDays > 0) || !(purchaseDays > 0) || !(orderWeight >= 0)) {
            throw new IllegalArgumentException("the day scales must be > 0 and the order weight >= 0,"
                    + " or the score is not monotone: " + interactionDays + ", " + purchaseDays + ", " + orderWeight);
        }
    }

    public double score(long daysSinceInteraction, long daysSincePurchase, int orders) {
        double z = intercept + daysSinceInteraction / interactionDays + daysSincePurchase / purchaseDays
                - orderWeight * Math.log1p(Math.max(0, orders));
        return Math.round(100.0 / (1.0 + Math.exp(-z))) / 100.0;
    }

    @Override
    public Double score(CustomerProfile p, Instant now) {
        Activity a = p.activity();
        Instant added = p.createdAt() == null ? now : p.createdAt();
        return score(Facts.days(a.lastInteractionAt() == null ? added : a.lastInteractionAt(), now),
                Facts.days(a.lastPurchaseAt() == null ? added : a.lastPurchaseAt(), now), a.orderCount());
    }
}
