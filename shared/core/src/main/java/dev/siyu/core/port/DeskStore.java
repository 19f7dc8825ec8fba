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
     * Closes the task only while it is OPEN; returns the stored task afterwards: closed as asked, or as it was
     * when something else closed it first. Empty when no such task exists.
     */
    Optional<DeskTask> close(String tenant, String staffUserId, String taskId, DeskTask.Status to, Instant at);
}
