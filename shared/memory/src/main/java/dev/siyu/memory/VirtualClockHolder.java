package dev.siyu.memory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that reads the simulation's virtual clock once the simulation exists: adapters built before
 * it (the recording WeCom API, the stub) need a clock at construction.
 */
public final class VirtualClockHolder extends Clock {
    private final AtomicReference<Clock> target;
    private final ZoneId zone;

    public VirtualClockHolder() {
        this(new AtomicReference<>(Clock.systemUTC()), ZoneOffset.UTC);
    }

    private VirtualClockHolder(AtomicReference<Clock> target, ZoneId zone) {
        this.target = target;
        this.zone = zone;
    }

    public void set(Clock clock) {
        target.set(clock);
    }

    @Override
    public Instant instant() {
        return target.get().instant();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new VirtualClockHolder(target, z);
    }
}
