package dev.siyu.core.port;

import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Events that belong to no single customer: customer-group changes, corp tag changes, callbacks we
 * do not act on yet. subject names the stream, e.g. "GROUP#wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA". Also the
 * tenant's pending repairs: side effects that failed and that the reconciler makes again.
 */
public interface TenantLog {
    void append(String tenant, String subject, TimelineEvent event);

    /**
     * Upserts the customer group summary: status (active, dismissed) and member count change, and logs the
     * event, as one write that happens once per event id: recording the same event again changes nothing.
     */
    void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event);

    /**
     * A side effect that failed (or has not been confirmed yet) and is to be made again: kind says what
     * (see Reconciler), key names the one thing to repair, so recording it twice keeps one repair.
     *
     * @param attempts how often the reconciler tried it already
     */
    record Repair(String kind, String key, Map<String, String> details, Instant at, int attempts) {
        public Repair {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            details = Map.copyOf(details);
        }
    }

    /** Records a repair to make (an idempotent put of kind + key). Stores without repairs drop it. */
    default void needsRepair(String tenant, Repair repair) {
    }

    /** Up to limit pending repairs, oldest kinds first; reads the tenant's repairs alone, nothing else. */
    default List<Repair> repairs(String tenant, int limit) {
        return List.of();
    }

    /** The repair is done (or given up): removed. */
    default void repaired(String tenant, Repair repair) {
    }

    /** The repair failed again: counted, kept for the next run. */
    default void repairFailed(String tenant, Repair repair) {
    }
}
