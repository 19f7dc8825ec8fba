package dev.siyu.memory;

import dev.siyu.core.gate.Decision;
import dev.siyu.core.port.DecisionCounts;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

public final class MemoryDecisionCounts implements DecisionCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void count(String tenant, LocalDate day, Decision decision) {
        counts.computeIfAbsent(tenant + "|" + day + "|" + DecisionCounts.key(decision), k -> new LongAdder()).increment();
    }

    @Override
    public void add(String tenant, LocalDate day, Map<String, Long> add) {
        add.forEach((key, n) -> counts.computeIfAbsent(tenant + "|" + day + "|" + key, k -> new LongAdder()).add(n));
    }

    @Override
    public Map<String, Long> counts(String tenant, LocalDate from, LocalDate to) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((k, v) -> {
            String[] parts = k.split("\\|", 3);
            LocalDate day = LocalDate.parse(parts[1]);
            if (parts[0].equals(tenant) && !day.isBefore(from) && !day.isAfter(to)) {
                sums.merge(parts[2], v.sum(), Long::sum);
            }
        });
        return sums;
    }
}
