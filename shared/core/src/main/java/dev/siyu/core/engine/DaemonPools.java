package dev.siyu.core.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed thread pools of daemon threads: a pool nobody shuts down must not hold the JVM (or an invocation) open. */
public final class DaemonPools {
    private DaemonPools() {
    }

    /** {@code threads} daemon threads named {@code name-1}, {@code name-2}, ... */
    public static ExecutorService fixed(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
