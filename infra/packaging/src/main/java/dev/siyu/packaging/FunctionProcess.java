package dev.siyu.packaging;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One function process started as a Lambda execution environment starts it (see
 * {@link LaunchSpec}), talking to a {@link RuntimeApiEmulator}. The process gets a clean
 * environment with the variables Lambda sets (plus the caller's), never this JVM's own, so a
 * developer's {@code JAVA_TOOL_OPTIONS} or {@code CLASSPATH} cannot leak into a measurement.
 * Its stdout and stderr go to {@link #logFile()}.
 */
public final class FunctionProcess implements AutoCloseable {

    /** How long {@link #close()} lets the runtime shut down after SIGTERM before killing it. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    /** The process ended while something still waited on it. */
    public static final class FunctionExitedException extends RuntimeException {
        private final int exitCode;

        FunctionExitedException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Process process;
    private final long startNanos;
    private final Path logFile;
    private final List<String> command;

    private FunctionProcess(Process process, long startNanos, Path logFile, List<String> command) {
        this.process = process;
        this.startNanos = startNanos;
        this.logFile = logFile;
        this.command = command;
    }

    public static FunctionProcess start(LaunchSpec spec, RuntimeApiEmulator api) throws IOException {
        return start(spec, api.address());
    }

    /** Starts the process; {@code runtimeApi} is {@code host:port} of the Runtime API. */
    public static FunctionProcess start(LaunchSpec spec, String runtimeApi) throws IOException {
        Path log = spec.logFile() != null ? spec.logFile() : Files.createTempFile("siyu-function-", ".log");
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = command(spec);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(spec.taskRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(environment(spec, runtimeApi));
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new FunctionProcess(p, t0, log, command);
    }

    /** The command line a launch runs; public so a failure report can show it. */
    public static List<String> command(LaunchSpec spec) {
        List<String> cmd = new ArrayList<>();
        if (spec.cpuList() != null) {
            cmd.addAll(Arrays.asList(taskset(), "-c", spec.cpuList()));
        }
        if (spec.isBootstrap()) {
            cmd.add(spec.bootstrap().toString());
            return cmd;
        }
        cmd.add(spec.javaHome().resolve("bin").resolve("java").toString());
        cmd.addAll(spec.jvmArgs());
        if (spec.jniLibrary() != null) {
            cmd.add("-D" + RuntimeInterfaceClient.JNI_PROPERTY + "=" + spec.jniLibrary());
        }
        cmd.add("-cp");
        cmd.add(spec.classPath().stream().map(Path::toString).collect(Collectors.joining(":")));
        cmd.add(RuntimeInterfaceClient.MAIN_CLASS);
        cmd.add(spec.handler());
        return cmd;
    }

    /** The variables a Lambda execution environment sets, then the caller's. */
    public static Map<String, String> environment(LaunchSpec spec, String runtimeApi) {
        String name = spec.env().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        // Lambda sets en_US.UTF-8; C.UTF-8 exists on every glibc system, en_US may not be generated.
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", spec.taskRoot().toString());
        // Lambda's order; the package's own native libraries come from its lib/ (the scoring function's libgomp.so.1).
        env.put("LD_LIBRARY_PATH", "/lib64:/usr/lib64:" + spec.taskRoot() + ":" + spec.taskRoot().resolve("lib") + ":/opt/lib");
        env.put("_HANDLER", spec.handler());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.putAll(spec.env());
        return env;
    }

    public long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the launch: the start of a cold start. */
    public long startNanos() {
        return startNanos;
    }

    public Path logFile() {
        return logFile;
    }

    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code. */
    public CompletableFuture<Integer> exit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /**
     * {@code work}, but failing with {@link FunctionExitedException} (with the log's tail) if the
     * process ends first: a crashed function then fails fast instead of waiting out a timeout.
     */
    public <T> CompletableFuture<T> unlessExited(CompletableFuture<T> work) {
        CompletableFuture<T> guarded = new CompletableFuture<>();
        work.whenComplete((value, failure) -> {
            if (failure != null) {
                guarded.completeExceptionally(failure);
            } else {
                guarded.complete(value);
            }
        });
        process.onExit().thenRun(() -> guarded.completeExceptionally(new FunctionExitedException(
                "function process " + pid() + " exited with " + process.exitValue() + " (log " + logFile + "):\n"
                        + logTail(40), process.exitValue())));
        guarded.whenComplete((value, failure) -> {
            if (guarded.isCancelled()) {
                work.cancel(false);
            }
        });
        return guarded;
    }

    /**
     * {@code cause}'s message with the end of the log, for a failure seen through the Runtime API
     * (an init error): the process is given a moment to finish writing its stack trace first.
     */
    public String failureReport(Throwable cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause instanceof FunctionExitedException) {
            return message;
        }
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return message + "\n(log " + logFile + "):\n" + logTail(40);
    }

    /** The last {@code maxLines} lines of the process's output. */
    public String logTail(int maxLines) {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - 64 * 1024);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            List<String> lines = Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\n", -1));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Sends SIGTERM (Lambda's shutdown signal; it also makes a JVM write an
     * {@code -XX:AOTCacheOutput} cache), waits up to {@code grace}, then kills the process.
     * Processes it started that outlive it are ended too. Returns the exit code.
     */
    public int stop(Duration grace) {
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            return -1;
        }
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    private static String taskset() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin")) {
            Path p = Paths.get(dir, "taskset");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("a CPU list was given but taskset (util-linux) is not installed");
    }
}
