package dev.siyu.core.channel;

import java.util.Map;

/**
 * What routing needs to know about a staff pool right now: each member's active customers, their
 * friend-adds today, and the round-robin position.
 */
public record PoolLoad(Map<String, Long> activeCustomers, Map<String, Long> addsToday, long rotation) {
    public PoolLoad {
        activeCustomers = Map.copyOf(activeCustomers);
        addsToday = Map.copyOf(addsToday);
    }

    public long active(String staff) {
        return activeCustomers.getOrDefault(staff, 0L);
    }

    public long adds(String staff) {
        return addsToday.getOrDefault(staff, 0L);
    }

    public static PoolLoad empty() {
        return new PoolLoad(Map.of(), Map.of(), 0);
    }
}
