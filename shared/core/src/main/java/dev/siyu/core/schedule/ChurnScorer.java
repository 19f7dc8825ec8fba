package dev.siyu.core.schedule;

import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;

/**
 * Where the daily rules get the churn score they write to {@code Activity.churnScore} before the stage
 * is recalculated. Until the churn model lands this is {@link ChurnHeuristic}; once the nightly
 * scoring job writes model scores, the daily rules are given {@link #KEEP_STORED} so they never
 * overwrite a model score with the heuristic.
 */
@FunctionalInterface
public interface ChurnScorer {
    /** Leaves whatever score the profile holds (the model's, or none). */
    ChurnScorer KEEP_STORED = (profile, now) -> null;

    /** The score in [0, 1] to store, or null to keep the stored one. */
    Double score(CustomerProfile profile, Instant now);
}
