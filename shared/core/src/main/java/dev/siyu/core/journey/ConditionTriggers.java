package dev.siyu.core.journey;

import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;
import java.util.List;

/**
 * Starts the journeys triggered by a condition or a score (dormancy, churn risk): the daily rules
 * job calls it for every customer after refreshing stages and scores.
 */
public interface ConditionTriggers {
    /** Starts each CONDITION or SCORE journey whose trigger holds now and that has no active run; returns them. */
    List<JourneyRun> check(CustomerProfile profile, Instant now);
}
