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

    /**
     * The same with the customer's runs already read (oldest first, strongly consistent, e.g. in the state Query
     * that read the profile), so the check itself reads nothing; a start still conditions on the journey's marker,
     * so a run started by someone else since the read is found, not doubled.
     */
    default List<JourneyRun> check(CustomerProfile profile, Instant now, List<JourneyRun> runs) {
        return check(profile, now);
    }
}
