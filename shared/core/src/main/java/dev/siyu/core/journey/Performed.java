package dev.siyu.core.journey;

import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.ProfileChange;
import dev.siyu.core.profile.TimelineEvent;
import java.util.List;

/**
 * What performing a step's action left behind: the change to the customer's profile (tags, stage or priority;
 * null when none), applied to the latest stored copy, and the timeline events to append, the gate's decision
 * among them.
 *
 * @param deferredUntil set when the gate deferred the touch: the step is asked again then, not advanced
 * @param touches       the touch records of what went out (settled intents), for the caller to write with
 *                      the events (empty when the performer recorded them itself)
 */
public record Performed(ProfileChange change, List<TimelineEvent> events, java.time.Instant deferredUntil,
                        List<TouchRecord> touches) {
    public Performed {
        events = List.copyOf(events);
        touches = List.copyOf(touches);
    }

    public Performed(ProfileChange change, List<TimelineEvent> events, java.time.Instant deferredUntil) {
        this(change, events, deferredUntil, List.of());
    }
}
