package dev.siyu.core.outreach;

import dev.siyu.core.gate.Decision;
import dev.siyu.core.port.DecisionCounts;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decision counts gathered in memory and written by {@link #flush}, one write per tenant and day instead
 * of one per decision. The counts are statistics for the operator's report, not a guard (the caps are the
 * touch records), so a worker may flush once per batch of steps: what a crash between a decision and the
 * flush loses is a batch's counts, never a touch. Whoever uses it must flush at the end of each batch.
 * Reads flush first, so a report never misses what this process counted. Thread-safe.
 */
public final class BatchedDecisionCounts implements DecisionCounts {
    private final DecisionCounts store;
    private Map<Day, Map<String, Long>> pending = new HashMap<>();

    public BatchedDecisionCounts(DecisionCounts store) {
        this.store = store;
    }

    @Override
    public synchronized void count(String tenant, LocalDate day, Decision decision) {
        pending.computeIfAbsent(new Day(tenant, day), d -> new TreeMap<>()).merge(DecisionCounts.key(decision), 1L,
                Long::sum);
    }

    @Override
    public void add(String tenant, LocalDate day, Map<String, Long> counts) {
        synchronized (this) {
            Map<String, Long> mine = pending.computeIfAbsent(new Day(tenant, day), d -> new TreeMap<>());
            counts.forEach((k, v) -> mine.merge(k, v, Long::sum));
        }
    }

    @Override
    public Map<String, Long> counts(String tenant, LocalDate from, LocalDate to) {
        flush();
        return store.counts(tenant, from, to);
    }

    /** Writes what was counted since the last flush; on failure the counts stay pending for the next one. */
    public void flush() {
        Map<Day, Map<String, Long>> taken;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            taken = pending;
            pending = new HashMap<>();
        }
        RuntimeException failed = null;
        for (Map.Entry<Day, Map<String, Long>> e : taken.entrySet()) {
            if (failed != null) {
                add(e.getKey().tenant(), e.getKey().day(), e.getValue());
                continue;
            }
            try {
                store.add(e.getKey().tenant(), e.getKey().day(), e.getValue());
            } catch (RuntimeException f) {
                // This day's and every later day's counts wait for the next flush.
                add(e.getKey().tenant(), e.getKey().day(), e.getValue());
                failed = f;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private record Day(String tenant, LocalDate day) { }
}
