package dev.siyu.memory;

import dev.siyu.core.desk.DeskTask;
import dev.siyu.core.port.DeskStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The staff desk's tasks in memory, by tenant, staff member and task id; writes are conditional as in DynamoDB. */
public final class MemoryDeskStore implements DeskStore {
    private final Map<String, DeskTask> tasks = new LinkedHashMap<>();
    private final Set<String> unfollowed = new HashSet<>();

    private static String key(String tenant, String staffUserId, String taskId) {
        return tenant + "#" + staffUserId + "#" + taskId;
    }

    @Override
    public synchronized DeskTask create(String tenant, DeskTask task) {
        return tasks.computeIfAbsent(key(tenant, task.staffUserId(), task.id()), k -> task);
    }

    @Override
    public synchronized Optional<DeskTask> task(String tenant, String staffUserId, String taskId) {
        return Optional.ofNullable(tasks.get(key(tenant, staffUserId, taskId)));
    }

    @Override
    public synchronized List<DeskTask> open(String tenant, String staffUserId) {
        String prefix = tenant + "#" + staffUserId + "#";
        return tasks.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().status() == DeskTask.Status.OPEN)
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparing(DeskTask::createdAt).thenComparing(DeskTask::id))
                .toList();
    }

    @Override
    public synchronized Optional<DeskTask> close(String tenant, String staffUserId, String taskId, DeskTask.Status to,
                                                 Instant at) {
        String k = key(tenant, staffUserId, taskId);
        DeskTask t = tasks.get(k);
        if (t == null) {
            return Optional.empty();
        }
        if (t.status() == DeskTask.Status.OPEN && DeskStore.inTime(t, to, at)) {
            t = t.closed(to, at);
            tasks.put(k, t);
            unfollowed.add(k);
        }
        return Optional.of(t);
    }

    @Override
    public synchronized Optional<DeskTask> claim(String tenant, String staffUserId, String taskId, Instant at,
                                                 Instant until) {
        String k = key(tenant, staffUserId, taskId);
        DeskTask t = tasks.get(k);
        if (t == null) {
            return Optional.empty();
        }
        if (t.status() == DeskTask.Status.OPEN && at.isBefore(t.expiresAt())) {
            t = t.claimed(until);
            tasks.put(k, t);
        }
        return Optional.of(t);
    }

    @Override
    public synchronized List<DeskTask> unfollowed(String tenant, String staffUserId) {
        String prefix = tenant + "#" + staffUserId + "#";
        return unfollowed.stream().filter(k -> k.startsWith(prefix)).map(tasks::get)
                .sorted(Comparator.comparing(DeskTask::createdAt).thenComparing(DeskTask::id))
                .toList();
    }

    @Override
    public synchronized void followedUp(String tenant, String staffUserId, String taskId) {
        unfollowed.remove(key(tenant, staffUserId, taskId));
    }

    /** Every task of the tenant, any status (the demo's report counts them). */
    public synchronized List<DeskTask> all(String tenant) {
        return tasks.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + "#"))
                .map(Map.Entry::getValue).toList();
    }
}
