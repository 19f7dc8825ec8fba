package dev.siyu.core.schedule;

import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;

/**
 * Where the daily rules get the churn score they write to {@code Activity.churnScore} before the stage
 * is recalculated. The engine gives them {@link #KEEP_STORED}: the score is the model's, written by the
 * nightly scoring job ({@link NightlyScoring}) an hour before; tests may give a fixed score.
 */
@FunctionalInterface
public interface ChurnScorer {
    /** Leaves whatever score the profile holds (the model's, or none). */
    ChurnScorer KEEP_STORED = (profile, now) -> null;

    /** The score in [0, 1] to store, or null to keep the stored one. */
    Double score(CustomerProfile profile, Instant now);
}
