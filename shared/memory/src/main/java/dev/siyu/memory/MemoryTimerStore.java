package dev.siyu.memory;

import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Minute-bucket timers in memory with the same lease semantics as DynamoTimerStore. */
public final class MemoryTimerStore implements TimerStore {
    private final ConcurrentSkipListMap<Instant, Map<Integer, Map<String, Timer>>> buckets = new ConcurrentSkipListMap<>();
    private final Map<String, Instant> leases = new ConcurrentHashMap<>();
    private volatile Instant swept;

    @Override
    public void put(Timer timer) {
        buckets.computeIfAbsent(timer.minute(), m -> new ConcurrentHashMap<>())
                .computeIfAbsent(timer.shard(), s -> new ConcurrentHashMap<>())
                .put(timer.step().id(), timer);
    }

    @Override
    public List<Timer> due(Instant minute, int shard) {
        Map<Integer, Map<String, Timer>> b = buckets.get(minute);
        return b == null ? List.of() : new ArrayList<>(b.getOrDefault(shard, Map.of()).values());
    }

    @Override
    public Optional<DueStep> claim(Timer timer, Instant now, Instant leaseUntil) {
        boolean[] won = {false};
        leases.compute(timer.step().id(), (k, held) -> {
            if (held == null || !held.isAfter(now)) {
                won[0] = true;
                return leaseUntil;
            }
            return held;
        });
        return won[0] && due(timer.minute(), timer.shard()).contains(timer) ? Optional.of(timer.step()) : Optional.empty();
    }

    @Override
    public void remove(List<Timer> sent) {
        for (Timer t : sent) {
            Map<Integer, Map<String, Timer>> b = buckets.get(t.minute());
            if (b != null && b.containsKey(t.shard())) {
                b.get(t.shard()).remove(t.step().id());
            }
            leases.remove(t.step().id());
        }
        buckets.headMap(swept == null ? Instant.MIN : swept, true).entrySet()
                .removeIf(e -> e.getValue().values().stream().allMatch(Map::isEmpty));
    }

    @Override
    public Optional<Instant> lastSwept() {
        return Optional.ofNullable(swept);
    }

    @Override
    public void markSwept(Instant minute) {
        if (swept == null || minute.isAfter(swept)) {
            swept = minute;
        }
    }

    /** The earliest minute holding a timer, so the simulator can jump straight to it. */
    public Optional<Instant> earliest() {
        return buckets.entrySet().stream()
                .filter(e -> e.getValue().values().stream().anyMatch(m -> !m.isEmpty()))
                .map(Map.Entry::getKey).findFirst();
    }

    /** Every timer still waiting, leased ones included: where each run's next step waits, for the record. */
    public List<Timer> all() {
        List<Timer> out = new ArrayList<>();
        buckets.values().forEach(b -> b.values().forEach(m -> out.addAll(m.values())));
        return out;
    }
}
