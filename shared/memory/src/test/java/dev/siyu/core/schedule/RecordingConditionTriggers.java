package dev.siyu.core.schedule;

import dev.siyu.core.journey.ConditionTriggers;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Keeps the profile each check saw (the journeys themselves are the journey engine's tests). */
final class RecordingConditionTriggers implements ConditionTriggers {
    final List<CustomerProfile> checked = new ArrayList<>();

    @Override
    public synchronized List<JourneyRun> check(CustomerProfile profile, Instant now) {
        checked.add(profile);
        return List.of();
    }
}
