package dev.siyu.core.callback;

import dev.siyu.core.profile.StaffRelationship;
import java.time.Instant;

/**
 * Orders relationship callbacks by their CreateTime against the relationship they would change: WeCom
 * retries, and a retry or replay can arrive after a later event for the same pair. Times are WeCom's
 * whole seconds, so an event at the same second as the relationship's start or end counts as the same
 * event (a redo), not as a later one.
 */
final class EventOrder {
    private EventOrder() {
    }

    /**
     * An add is stale when the relationship ended at or after it (the customer deleted the friendship the
     * add created, or a later one) or started after it (a newer add is already in place).
     */
    static boolean addIsStale(StaffRelationship r, Instant addedAt) {
        if (r == null) {
            return false;
        }
        if (r.endedAt() != null && !r.endedAt().isBefore(addedAt)) {
            return true;
        }
        return r.since() != null && r.since().isAfter(addedAt);
    }

    /** A delete is stale when the relationship it would end started after it: it ended an earlier one. */
    static boolean deleteIsStale(StaffRelationship r, Instant deletedAt) {
        return r != null && r.since() != null && r.since().isAfter(deletedAt);
    }
}
