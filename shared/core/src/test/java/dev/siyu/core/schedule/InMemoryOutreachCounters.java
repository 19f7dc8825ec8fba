package dev.siyu.core.schedule;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchRecord;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The touch records as DynamoOutreachCounters keeps them: one per id, GROUP_MESSAGE outside customer mixes. */
final class InMemoryOutreachCounters implements OutreachCounters {
    private final Map<String, Map<String, TouchRecord>> touches = new HashMap<>();

    @Override
    public synchronized List<TouchRecord> touches(String tenant, String customerId) {
        return new ArrayList<>(touches.getOrDefault(tenant + "|" + customerId, Map.of()).values());
    }

    @Override
    public synchronized void record(String tenant, TouchRecord touch, ZoneId tenantZone) {
        touches.computeIfAbsent(tenant + "|" + touch.customerId(), k -> new LinkedHashMap<>()).put(touch.id(), touch);
    }

    /** Every content class one id received that entered its mix, oldest first. */
    synchronized List<ContentClass> mix(String tenant, String customerId) {
        List<TouchRecord> all = new ArrayList<>(touches.getOrDefault(tenant + "|" + customerId, Map.of()).values());
        all.sort(Comparator.comparing(TouchRecord::at).thenComparing(TouchRecord::id));
        List<ContentClass> mix = new ArrayList<>();
        all.stream().filter(TouchRecord::inMix).forEach(t -> mix.add(t.content()));
        return mix;
    }
}
