package dev.siyu.core.profile;

import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened to a customer, in order. kind is a snake_case word an operator reads
 * (contact_added, welcome_sent, tags_marked, relationship_ended, ...); details are flat strings.
 */
public record TimelineEvent(String eventId, Instant at, String kind, String staffUserId, Map<String, String> details) {
    public TimelineEvent {
        details = Map.copyOf(details);
    }
}
