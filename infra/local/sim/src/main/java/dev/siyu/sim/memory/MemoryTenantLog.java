package dev.siyu.sim.memory;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tenant streams (groups, tags, SOP decisions) in memory. */
public final class MemoryTenantLog implements TenantLog {
    private final Map<String, List<TimelineEvent>> streams = new ConcurrentHashMap<>();

    @Override
    public void append(String tenant, String subject, TimelineEvent event) {
        List<TimelineEvent> s = streams.computeIfAbsent(tenant + "#" + subject, k -> new ArrayList<>());
        synchronized (s) {
            s.add(event);
        }
    }

    @Override
    public void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
        append(tenant, "GROUP#" + chatId, event);
    }
}
