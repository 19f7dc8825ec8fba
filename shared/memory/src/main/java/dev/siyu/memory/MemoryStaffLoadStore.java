package dev.siyu.memory;

import dev.siyu.core.channel.PoolLoad;
import dev.siyu.core.port.StaffLoadStore;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/** Pool loads in memory: active customers, adds per day and the round-robin counter, per pool. */
public final class MemoryStaffLoadStore implements StaffLoadStore {
    private final Map<String, Map<String, Long>> active = new HashMap<>();
    private final Map<String, Map<String, Long>> adds = new HashMap<>();
    private final Map<String, Long> rotation = new HashMap<>();
    /** Operations counted (callback dedup keys), as the DynamoDB adapter's operation items. */
    private final java.util.Set<String> operations = new java.util.HashSet<>();

    @Override
    public synchronized PoolLoad load(String tenant, String pool, LocalDate day) {
        String k = tenant + "#" + pool;
        return new PoolLoad(Map.copyOf(active.getOrDefault(k, Map.of())),
                Map.copyOf(adds.getOrDefault(k + "#" + day, Map.of())), rotation.getOrDefault(k, 0L));
    }

    @Override
    public synchronized PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day) {
        String k = tenant + "#" + pool;
        active.computeIfAbsent(k, x -> new HashMap<>()).merge(staffUserId, 1L, Long::sum);
        adds.computeIfAbsent(k + "#" + day, x -> new HashMap<>()).merge(staffUserId, 1L, Long::sum);
        return load(tenant, pool, day);
    }

    @Override
    public synchronized void recordRemoval(String tenant, String pool, String staffUserId) {
        active.computeIfAbsent(tenant + "#" + pool, x -> new HashMap<>()).merge(staffUserId, -1L, Long::sum);
    }

    @Override
    public synchronized PoolLoad recordAdd(String tenant, String pool, String staffUserId, LocalDate day,
                                           String operation) {
        if (!operations.add(tenant + "#" + pool + "#add#" + operation)) {
            return load(tenant, pool, day);
        }
        return recordAdd(tenant, pool, staffUserId, day);
    }

    @Override
    public synchronized void recordRemoval(String tenant, String pool, String staffUserId, String operation) {
        if (operations.add(tenant + "#" + pool + "#removal#" + operation)) {
            recordRemoval(tenant, pool, staffUserId);
        }
    }

    @Override
    public synchronized long advanceRotation(String tenant, String pool) {
        return rotation.merge(tenant + "#" + pool, 1L, Long::sum);
    }

    /** Seeds a member's book as if routing had counted that many adds over time. */
    public synchronized void seedActive(String tenant, String pool, String staffUserId, long customers) {
        active.computeIfAbsent(tenant + "#" + pool, x -> new HashMap<>()).put(staffUserId, customers);
    }

    private final Map<String, Map<String, Departure>> departures = new HashMap<>();

    @Override
    public synchronized void markDeparted(String tenant, String staffUserId, String reason, java.time.Instant at) {
        departures.computeIfAbsent(tenant, t -> new java.util.TreeMap<>())
                .putIfAbsent(staffUserId, new Departure(staffUserId, reason, at));
    }

    @Override
    public synchronized void liftDeparted(String tenant, String staffUserId) {
        departures.getOrDefault(tenant, new HashMap<>()).remove(staffUserId);
    }

    @Override
    public synchronized Map<String, Departure> departed(String tenant) {
        return Map.copyOf(departures.getOrDefault(tenant, Map.of()));
    }
}
