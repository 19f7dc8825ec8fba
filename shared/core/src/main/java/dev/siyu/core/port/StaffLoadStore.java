package dev.siyu.core.port;

import dev.siyu.core.channel.PoolLoad;
import java.time.LocalDate;

/** Per-pool staff counters that routing reads: one item per pool, updated with atomic ADDs. */
public interface StaffLoadStore {

    PoolLoad load(String tenant, String pool, LocalDate day);

    /**
     * One more customer for this staff member, counted against today's friend-add limit too, and
     * the pool's rotation advanced, in one atomic update. Returns the pool as it is after the
     * update, so routing the next customer needs no extra read.
     */
    PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day);

    /** A relationship ended: one fewer active customer. */
    void recordRemoval(String tenant, String pool, String staffUserId);

    /**
     * {@link #recordAdd} counted at most once per operation (the callback's dedup key): a retried or
     * taken-over callback that counts again finds its operation counted and only reads the pool. Stores
     * without operation records count every call.
     */
    default PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day, String operation) {
        return recordAdd(tenant, pool, staffUserId, day);
    }

    /** {@link #recordRemoval} at most once per operation, so a failed one can simply be made again. */
    default void recordRemoval(String tenant, String pool, String staffUserId, String operation) {
        recordRemoval(tenant, pool, staffUserId);
    }

    /** Advances the pool's round-robin rotation and returns the new position (atomic, fair under concurrency). */
    long advanceRotation(String tenant, String pool);

    /**
     * The staff directory sync found this member gone from WeCom's directory (not listed any more, disabled or
     * left): offboarding never picks them as a successor and hands their groups on (their customers come
     * through WeCom's unassigned list). Marking again keeps the first mark. Stores without marks drop it.
     *
     * @param reason what the directory said: {@code not_in_directory}, {@code disabled} or {@code left}
     */
    default void markDeparted(String tenant, String staffUserId, String reason, java.time.Instant at) {
    }

    /**
     * The directory sync found a marked member active again (a disabled account re-enabled): the mark goes, so
     * offboarding leaves their groups alone and they may be a successor again. Lifting an absent mark does nothing.
     */
    default void liftDeparted(String tenant, String staffUserId) {
    }

    /** Every member marked departed, by userid. */
    default java.util.Map<String, Departure> departed(String tenant) {
        return java.util.Map.of();
    }

    /** A member the directory sync marked for offboarding. */
    record Departure(String staffUserId, String reason, java.time.Instant markedAt) { }
}
