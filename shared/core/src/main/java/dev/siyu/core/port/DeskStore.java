package dev.siyu.core.port;

import dev.siyu.core.desk.DeskTask;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The staff desk's tasks, one item per task under its staff member (docs/data-model.md, Staff desk). Writes are
 * conditional, so a redelivered step and two clicks on "sent" each change a task once.
 */
public interface DeskStore {

    /** Writes the task unless one with its id is stored; returns the stored task either way. */
    DeskTask create(String tenant, DeskTask task);

    Optional<DeskTask> task(String tenant, String staffUserId, String taskId);

    /** The staff member's OPEN tasks, those past their expiry included (the sweep closes them), oldest first. */
    List<DeskTask> open(String tenant, String staffUserId);

    /**
     * Closes the task only while it is OPEN and only in time ({@link #inTime}): SENT or DISMISSED before its
     * expiry, EXPIRED at or after it. Returns the stored task afterwards: closed as asked, or as it was when
     * something else closed it first (or still OPEN when the close came at the wrong side of the expiry). Empty
     * when no such task exists. A close marks the task's follow-ups as still to be made ({@link #unfollowed}).
     */
    Optional<DeskTask> close(String tenant, String staffUserId, String taskId, DeskTask.Status to, Instant at);

    /**
     * Claims the task for a send until {@code until}, only while it is OPEN and {@code at} is before its expiry;
     * returns the stored task afterwards (claimed, or as it was). Empty when no such task exists.
     */
    Optional<DeskTask> claim(String tenant, String staffUserId, String taskId, Instant at, Instant until);

    /**
     * The staff member's closed tasks whose follow-ups (timeline event, touch record) are not known to be made: a
     * crash between the close and its follow-ups leaves them here for the sweep.
     */
    List<DeskTask> unfollowed(String tenant, String staffUserId);

    /** The task's follow-ups are made: it leaves {@link #unfollowed}. */
    void followedUp(String tenant, String staffUserId, String taskId);

    /**
     * Whether a close to {@code to} at {@code at} respects the task's deadline: a staff member's close only before
     * it (a send claimed in time: before the claim ends), the expiry's own close only at or after it, so a click
     * racing the sweep cannot both send and expire.
     */
    static boolean inTime(DeskTask task, DeskTask.Status to, Instant at) {
        return switch (to) {
            case EXPIRED -> !at.isBefore(task.deadline());
            case SENT -> at.isBefore(task.deadline());
            default -> at.isBefore(task.expiresAt());
        };
    }
}
