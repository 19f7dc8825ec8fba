package dev.siyu.memory;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchRecord;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The touch records in memory, one per id as DynamoOutreachCounters keeps them; expiry is left to the readers. */
public final class MemoryOutreachCounters implements OutreachCounters {
    private final Map<String, Map<String, TouchRecord>> touches = new ConcurrentHashMap<>();

    @Override
    public List<TouchRecord> touches(String tenant, String customerId) {
        Map<String, TouchRecord> mine = touches.get(tenant + "#" + customerId);
        if (mine == null) {
            return List.of();
        }
        synchronized (mine) {
            return new ArrayList<>(mine.values());
        }
    }

    @Override
    public void record(String tenant, TouchRecord touch, ZoneId tenantZone) {
        Map<String, TouchRecord> mine = touches.computeIfAbsent(tenant + "#" + touch.customerId(),
                k -> new LinkedHashMap<>());
        synchronized (mine) {
            // Keyed as the table keys it (S#T#<millis>#<id>): the same touch at another instant is another record.
            mine.put(touch.at().toEpochMilli() + "#" + touch.id(), touch);
        }
    }

    @Override
    public boolean reserve(String tenant, TouchRecord intent, ZoneId tenantZone) {
        Map<String, TouchRecord> mine = touches.computeIfAbsent(tenant + "#" + intent.customerId(),
                k -> new LinkedHashMap<>());
        java.time.Instant now = intent.at();
        synchronized (mine) {
            for (TouchRecord r : mine.values()) {
                if (r.seq() >= intent.seq() && r.expiresAt(tenantZone).isAfter(now)) {
                    return false;
                }
            }
            mine.put(intent.at().toEpochMilli() + "#" + intent.id(), intent);
            return true;
        }
    }

    /** Every content class one id received that entered its mix, oldest first. */
    public List<ContentClass> mix(String tenant, String customerId) {
        List<TouchRecord> all = touches(tenant, customerId);
        all.sort(Comparator.comparing(TouchRecord::at).thenComparing(TouchRecord::id));
        return all.stream().filter(TouchRecord::inMix).map(TouchRecord::content).toList();
    }
}
