package dev.siyu.core.schedule;

import dev.siyu.core.channel.PoolLoad;
import dev.siyu.core.port.StaffLoadStore;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/** Per-pool active customers and daily adds, as routing keeps them. */
final class InMemoryStaffLoads implements StaffLoadStore {
    private final Map<String, Map<String, Long>> active = new HashMap<>();
    private final Map<String, Map<String, Long>> adds = new HashMap<>();
    private final Map<String, Long> rotation = new HashMap<>();

    @Override
    public synchronized PoolLoad load(String tenant, String pool, LocalDate day) {
        return new PoolLoad(active.getOrDefault(tenant + "|" + pool, Map.of()),
                adds.getOrDefault(tenant + "|" + pool + "|" + day, Map.of()), rotation.getOrDefault(tenant + "|" + pool, 0L));
    }

    @Override
    public synchronized PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day) {
        active.computeIfAbsent(tenant + "|" + pool, k -> new HashMap<>()).merge(staffUserId, 1L, Long::sum);
        adds.computeIfAbsent(tenant + "|" + pool + "|" + day, k -> new HashMap<>()).merge(staffUserId, 1L, Long::sum);
        rotation.merge(tenant + "|" + pool, 1L, Long::sum);
        return load(tenant, pool, day);
    }

    @Override
    public synchronized void recordRemoval(String tenant, String pool, String staffUserId) {
        active.computeIfAbsent(tenant + "|" + pool, k -> new HashMap<>()).merge(staffUserId, -1L, Long::sum);
    }

    @Override
    public synchronized long advanceRotation(String tenant, String pool) {
        return rotation.merge(tenant + "|" + pool, 1L, Long::sum);
    }

    /** Seeds a member's book as if routing had counted that many adds over time. */
    synchronized void seedActive(String tenant, String pool, String staffUserId, long customers) {
        active.computeIfAbsent(tenant + "|" + pool, k -> new HashMap<>()).put(staffUserId, customers);
    }
}
