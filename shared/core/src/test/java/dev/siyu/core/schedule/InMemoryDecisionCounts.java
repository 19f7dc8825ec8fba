package dev.siyu.core.schedule;

import dev.siyu.core.gate.Decision;
import dev.siyu.core.port.DecisionCounts;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

final class InMemoryDecisionCounts implements DecisionCounts {
    private final Map<String, Map<String, Long>> byDay = new HashMap<>();

    @Override
    public synchronized void count(String tenant, LocalDate day, Decision decision) {
        byDay.computeIfAbsent(tenant + "|" + day, k -> new TreeMap<>()).merge(DecisionCounts.key(decision), 1L, Long::sum);
    }

    @Override
    public synchronized void add(String tenant, LocalDate day, Map<String, Long> counts) {
        Map<String, Long> mine = byDay.computeIfAbsent(tenant + "|" + day, k -> new TreeMap<>());
        counts.forEach((k, v) -> mine.merge(k, v, Long::sum));
    }

    @Override
    public synchronized Map<String, Long> counts(String tenant, LocalDate from, LocalDate to) {
        Map<String, Long> sum = new TreeMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            byDay.getOrDefault(tenant + "|" + d, Map.of()).forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }
}
