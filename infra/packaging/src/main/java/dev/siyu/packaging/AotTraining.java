package dev.siyu.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JDK 25 AOT cache training run (JEP 483/514/515): the function starts exactly as it will in
 * production, answers the sample events, and is then stopped with SIGTERM, on which the JVM writes
 * the cache. The cache only loads on the same JDK build, with the same class path order and jar
 * modification times, so the launch must be the production one with only the output option
 * added: {@code -XX:AOTCacheOutput=...} for a managed-runtime launch, or for a bootstrap launch the
 * variable {@link ProvidedPackage#TRAIN_ENV}, which makes the package's bootstrap add it.
 */
public final class AotTraining {

    /** Writing the cache starts a second JVM that links and dumps everything: give it time. */
    private static final Duration DUMP_GRACE = Duration.ofMinutes(5);

    /**
     * @param cache    the cache written
     * @param bytes    its size
     * @param answered events answered
     * @param elapsed  launch to cache written
     * @param log      the training process's output
     */
    public record Result(Path cache, long bytes, int answered, Duration elapsed, Path log) {
    }

    private AotTraining() {
    }

    /**
     * Runs the training. {@code spec} is the production launch with the cache output option
     * already added; {@code cache} is where that option makes the JVM write. Each event is sent
     * {@code rounds} times, in order; an event answered with an error (or an HTTP
     * 5xx) fails the training.
     */
    public static Result train(LaunchSpec spec, Path cache, List<byte[]> events, int rounds, Duration eventTimeout) {
        long t0 = System.nanoTime();
        int answered = 0;
        try {
            Files.deleteIfExists(cache);
            try (RuntimeApiEmulator api = RuntimeApiEmulator.start(0);
                 FunctionProcess process = FunctionProcess.start(spec, api)) {
                for (int round = 0; round < rounds; round++) {
                    for (byte[] event : events) {
                        RuntimeApiEmulator.Invocation answer;
                        try {
                            answer = process.unlessExited(api.invoke(event, eventTimeout))
                                    .get(eventTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                        } catch (ExecutionException e) {
                            throw new IllegalStateException("AOT training failed after " + answered + " events: "
                                    + process.failureReport(e.getCause()), e.getCause());
                        } catch (TimeoutException e) {
                            throw new IllegalStateException("AOT training: an event was not answered in "
                                    + eventTimeout + "; log " + process.logFile(), e);
                        }
                        answered++;
                        if (answer.error() || answer.statusCode() >= 500) {
                            // A cache trained on a failing path covers the wrong code, and the
                            // failure is usually a packaging fault (a class missing from lib/).
                            throw new IllegalStateException("AOT training: event " + answered
                                    + " failed: " + answer.payloadUtf8() + " (log " + process.logFile() + ")");
                        }
                    }
                }
                process.stop(DUMP_GRACE);
                if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
                    throw new IllegalStateException("the training run wrote no AOT cache at " + cache + " (log "
                            + process.logFile() + "):\n" + process.logTail(30));
                }
                return new Result(cache, Files.size(cache), answered, Duration.ofNanos(System.nanoTime() - t0),
                        process.logFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("AOT training failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during AOT training", e);
        }
    }
}
