package dev.siyu.memory.faults;

import dev.siyu.core.engine.Ports;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.timer.StepQueue;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Faults injected into the engine's I/O, deterministic by seed: one {@link Random} decides, at every
 * port call, whether a fault strikes (probability {@code rate}) and which of the kinds that fit the
 * port it is. The same seed, the same calls in the same order, the same faults: the caller keeps its
 * calls on one thread.
 *
 * <p>Kinds (the names {@link #counts()} reports):
 * <ul>
 *   <li>stores (DynamoDB): {@value #STORE_THROTTLE} (throttled or failed before the write, nothing
 *       taken), {@value #STORE_ERROR_AFTER_WRITE} (the write took effect, the caller sees an error:
 *       writes only);</li>
 *   <li>queue sends (SQS): {@value #QUEUE_SEND_FAILED}; deliveries, drawn by the simulation's queue
 *       through {@link #strikes()}: {@value #QUEUE_DUPLICATE}, {@value #QUEUE_DELAYED},
 *       {@value #QUEUE_REORDERED};</li>
 *   <li>WeCom: {@value #WECOM_RATE_LIMIT} (errcode 45009), {@value #WECOM_BUSY} (-1),
 *       {@value #WECOM_5XX}, all before the call reached WeCom, and {@value #WECOM_TIMEOUT_AFTER_EFFECT}
 *       (WeCom did it, the answer never came back: calls that change something only);</li>
 *   <li>everywhere: {@value #CRASH}, the instance dies just before or just after the call took effect
 *       ({@link InstanceCrash}): one fault in {@value #CRASH_ONE_IN}, the others of the port's own kinds,
 *       each as likely.</li>
 * </ul>
 */
public final class Faults {
    public static final String STORE_THROTTLE = "store_throttle";
    public static final String STORE_ERROR_AFTER_WRITE = "store_error_after_write";
    public static final String QUEUE_SEND_FAILED = "queue_send_failed";
    public static final String QUEUE_DUPLICATE = "queue_duplicate";
    public static final String QUEUE_DELAYED = "queue_delayed";
    public static final String QUEUE_REORDERED = "queue_reordered";
    public static final String WECOM_RATE_LIMIT = "wecom_45009";
    public static final String WECOM_BUSY = "wecom_busy";
    public static final String WECOM_5XX = "wecom_5xx";
    public static final String WECOM_TIMEOUT_AFTER_EFFECT = "wecom_timeout_after_effect";
    public static final String CRASH = "crash";
    /** One fault in this many is a crash; the others are the port's own kinds, evenly. */
    static final int CRASH_ONE_IN = 5;

    private final long seed;
    private final double rate;
    private final Random random;
    private final Map<String, Long> counts = new TreeMap<>();
    private boolean paused;

    /** @param rate the chance of a fault at each call, 0 (none) up to but not including 1 */
    public Faults(long seed, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the fault rate is at least 0 and below 1, got " + rate);
        }
        this.seed = seed;
        this.rate = rate;
        // Its own stream, apart from whatever else the caller draws from the seed: the faults do not
        // shift the population's random choices, and the population does not shift the faults.
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
    }

    /** No faults at all. */
    public static Faults none() {
        return new Faults(0, 0);
    }

    public long seed() {
        return seed;
    }

    public double rate() {
        return rate;
    }

    public boolean enabled() {
        return rate > 0;
    }

    /**
     * Every port of the set behind a proxy of its interface that injects faults; the same set when
     * the rate is 0. Ports added to {@link Ports} later are wrapped too (the record's components are read).
     */
    public Ports wrap(Ports ports) {
        if (!enabled()) {
            return ports;
        }
        RecordComponent[] components = Ports.class.getRecordComponents();
        Object[] wrapped = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                wrapped[i] = wrap(types[i], components[i].getAccessor().invoke(ports));
            }
            return Ports.class.getDeclaredConstructor(types).newInstance(wrapped);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot wrap the ports with faults", e);
        }
    }

    /** One port behind a proxy of its interface that injects faults fitting it. */
    public <T> T wrap(Class<T> port, Object target) {
        if (!enabled()) {
            return port.cast(target);
        }
        PortKind kind = port == WeComApi.class ? PortKind.WECOM
                : port == StepQueue.class || port == JourneyQueue.class ? PortKind.QUEUE : PortKind.STORE;
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                new FaultyPort(this, kind, target)));
    }

    /**
     * Runs the caller's own reads without faults: the simulation's bookkeeping (the final timelines,
     * the record) is not the engine's I/O.
     */
    public synchronized <T> T without(java.util.function.Supplier<T> reads) {
        boolean was = paused;
        paused = true;
        try {
            return reads.get();
        } finally {
            paused = was;
        }
    }

    /** Stops injecting for good: the run is over and what follows is reading its results. */
    public synchronized void stop() {
        paused = true;
    }

    /** True with probability rate: whether a fault strikes now (false while paused). */
    public synchronized boolean strikes() {
        return !paused && rate > 0 && random.nextDouble() < rate;
    }

    /** A number in [0, bound) from the faults' own stream, e.g. which kind strikes or how long a delay is. */
    public synchronized int pick(int bound) {
        return random.nextInt(bound);
    }

    /** Counts one injected fault of this kind. */
    public synchronized void count(String kind) {
        counts.merge(kind, 1L, Long::sum);
    }

    /** The faults injected so far, by kind. */
    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    enum PortKind { STORE, QUEUE, WECOM }
}
