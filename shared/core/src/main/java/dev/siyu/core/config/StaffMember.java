package dev.siyu.core.config;

import java.util.List;

/** A WeCom member who receives customers; dailyAddLimit is the friend-add cap the platform tolerates. */
public record StaffMember(String userId, String name, List<String> pools, int dailyAddLimit) {
    public StaffMember {
        pools = List.copyOf(pools);
    }
}
