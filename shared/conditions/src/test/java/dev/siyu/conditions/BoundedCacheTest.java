package dev.siyu.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {
    @Test
    void createsOncePerKeyAndEvictsTheLeastRecentlyUsed() {
        AtomicInteger created = new AtomicInteger();
        BoundedCache<String, Integer> cache = new BoundedCache<>(2);
        cache.get("a", k -> created.incrementAndGet());
        cache.get("b", k -> created.incrementAndGet());
        cache.get("a", k -> created.incrementAndGet());
        cache.get("c", k -> created.incrementAndGet());
        assertThat(created).hasValue(3);
        assertThat(cache.get("a", k -> -1)).isEqualTo(1);
        assertThat(cache.get("b", k -> -1)).isEqualTo(-1);
    }

    @Test
    void aFailingCreateCachesNothing() {
        BoundedCache<String, Integer> cache = new BoundedCache<>(2);
        assertThatThrownBy(() -> cache.get("a", k -> {
            throw new IllegalStateException("no");
        })).hasMessage("no");
        assertThat(cache.size()).isZero();
    }

    @Test
    void capacityMustHoldAnEntry() {
        assertThatThrownBy(() -> new BoundedCache<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
