package dev.siyu.core.journey;

import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.util.List;

/**
 * What performing a step's action left behind: the profile as it is now (tags, stage or priority may
 * have changed; null when unchanged) and the timeline events to append, the gate's decision among them.
 *
 * @param deferredUntil set when the gate deferred the touch: the step is asked again then, not claimed
 * @param touches       the touch records of what went out, for the caller to write with the events (empty
 *                      when the performer recorded them itself)
 */
public record Performed(CustomerProfile changed, List<TimelineEvent> events, java.time.Instant deferredUntil,
                        List<TouchRecord> touches) {
    public Performed {
        events = List.copyOf(events);
        touches = List.copyOf(touches);
    }

    public Performed(CustomerProfile changed, List<TimelineEvent> events, java.time.Instant deferredUntil) {
        this(changed, events, deferredUntil, List.of());
    }
}
