package dev.siyu.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulation's time: it moves only when the simulator moves it, so 30 days run in seconds. Views in
 * other zones ({@link #withZone}) share the same instant.
 */
public final class VirtualClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public VirtualClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private VirtualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    public void set(Instant at) {
        now.updateAndGet(current -> {
            if (at.isBefore(current)) {
                throw new IllegalArgumentException("time only moves forward: " + at + " < " + current);
            }
            return at;
        });
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new VirtualClock(now, z);
    }
}
