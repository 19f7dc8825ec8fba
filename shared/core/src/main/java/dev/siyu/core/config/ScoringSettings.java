package dev.siyu.core.config;

import java.util.List;
import java.util.Set;

/**
 * How the churn model is trained ({@code lifecycle_automation.churn_early_warning.training}); every key is
 * optional.
 *
 * @param labelWindowDays a customer counts as churned when they bought nothing in this many days after the
 *                        training cutoff (7..365; 90 by default)
 * @param retrain         how often the nightly scoring job trains again before scoring: {@code daily} or
 *                        {@code weekly} (Mondays); it always scores
 * @param featuresOff     scoring features switched off (read as missing by the model), from {@link #FEATURES}
 * @param personaK        the number of personas, 0 = chosen by the silhouette
 */
public record ScoringSettings(int labelWindowDays, String retrain, Set<String> featuresOff, int personaK) {
    /** The scoring features by name, in the model's column order (shared/analytics ProfileFeatures.NAMES). */
    public static final List<String> FEATURES = List.of("recency_days", "purchase_days", "monetary", "tenure_days",
            "tier", "coupons_used", "coupons_ignored", "messages_opened_30d", "days_since_last_purchase",
            "community_engagement_change", "moments_decline", "group_exits_or_mutes");
    public static final List<String> RETRAIN = List.of("daily", "weekly");
    public static final ScoringSettings DEFAULTS = new ScoringSettings(90, "weekly", Set.of(), 0);

    public ScoringSettings {
        featuresOff = Set.copyOf(featuresOff);
    }
}
