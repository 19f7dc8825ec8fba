package dev.siyu.core.port;

import java.time.Instant;
import java.util.Map;

/** Hands slow work to journey-worker (SQS); the callback never waits for it. */
public interface JourneyQueue {

    void enqueue(JourneyTrigger trigger);

    /** kind is the trigger in the operator's words (contact_added, relationship_ended, ...). */
    record JourneyTrigger(String tenant, String customerId, String kind, Instant at, Map<String, String> details) {
        public JourneyTrigger {
            details = Map.copyOf(details);
        }
    }
}
