package dev.siyu.conditions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A least-recently-used map of at most {@code capacity} entries, safe for concurrent use. Compiled
 * conditions are keyed by their text: a tenant's config holds dozens, so the bound only matters when
 * expressions come from elsewhere (segment filters typed by operators) and must not grow a warm
 * function's heap without limit.
 */
final class BoundedCache<K, V> {
    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The cached value, else {@code create}'s, remembered. create runs outside the lock, so a slow or
     * failing create never blocks other keys; two threads may both create the same value once, which
     * is harmless for immutable values. A create that throws caches nothing.
     */
    V get(K key, Function<K, V> create) {
        synchronized (entries) {
            V cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V created = create.apply(key);
        synchronized (entries) {
            V raced = entries.putIfAbsent(key, created);
            return raced != null ? raced : created;
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
