package dev.siyu.memory;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tenant streams (groups, tags, SOP decisions) in memory. */
public final class MemoryTenantLog implements TenantLog {
    private final Map<String, List<TimelineEvent>> streams = new ConcurrentHashMap<>();
    private final Map<String, Repair> repairs = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static String repairKey(String tenant, Repair r) {
        return tenant + "#" + r.kind() + "#" + r.key();
    }

    @Override
    public void needsRepair(String tenant, Repair repair) {
        repairs.putIfAbsent(repairKey(tenant, repair), repair);
    }

    @Override
    public List<Repair> repairs(String tenant, int limit) {
        return repairs.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + "#")).limit(limit)
                .map(Map.Entry::getValue).toList();
    }

    @Override
    public void repaired(String tenant, Repair repair) {
        repairs.remove(repairKey(tenant, repair));
    }

    @Override
    public void repairFailed(String tenant, Repair repair) {
        repairs.computeIfPresent(repairKey(tenant, repair), (k, r) -> new Repair(r.kind(), r.key(), r.details(),
                r.at(), r.attempts() + 1));
    }

    @Override
    public void append(String tenant, String subject, TimelineEvent event) {
        List<TimelineEvent> s = streams.computeIfAbsent(tenant + "#" + subject, k -> new ArrayList<>());
        synchronized (s) {
            // The same event id is the same item, as DynamoDB's put of it: written again, not added twice.
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i).eventId().equals(event.eventId())) {
                    s.set(i, event);
                    return;
                }
            }
            s.add(event);
        }
    }

    /** An entry already logged (same event id: a redone callback) is not logged again, as in DynamoDB. */
    @Override
    public void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
        List<TimelineEvent> s = streams.computeIfAbsent(tenant + "#GROUP#" + chatId, k -> new ArrayList<>());
        synchronized (s) {
            if (s.stream().noneMatch(e -> e.eventId().equals(event.eventId()))) {
                s.add(event);
            }
        }
    }

    /** One subject's events (e.g. {@code GROUP#<chatId>}), in the order appended. */
    public List<TimelineEvent> of(String subject) {
        List<TimelineEvent> out = new ArrayList<>();
        streams.forEach((k, s) -> {
            if (k.endsWith("#" + subject) && k.length() > subject.length() + 1) {
                synchronized (s) {
                    out.addAll(s);
                }
            }
        });
        return out;
    }

    /** One subject's events of one kind, in the order appended. */
    public List<TimelineEvent> of(String subject, String kind) {
        return of(subject).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Every event of every subject. */
    public List<TimelineEvent> all() {
        List<TimelineEvent> out = new ArrayList<>();
        streams.values().forEach(s -> {
            synchronized (s) {
                out.addAll(s);
            }
        });
        return out;
    }
}
