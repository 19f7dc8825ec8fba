package dev.siyu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.siyu.packaging.AotTraining;
import dev.siyu.packaging.Args;
import dev.siyu.packaging.FunctionProcess;
import dev.siyu.packaging.FunctionZip;
import dev.siyu.packaging.JlinkRuntime;
import dev.siyu.packaging.LaunchSpec;
import dev.siyu.packaging.LocalBackend;
import dev.siyu.packaging.ProcStats;
import dev.siyu.packaging.ProvidedPackage;
import dev.siyu.packaging.RuntimeApiEmulator;
import dev.siyu.packaging.RuntimeInterfaceClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Cold start of a Lambda function, measured locally the way Lambda starts it: for each variant,
 * {@code runs} fresh processes, each timed from launch to the first event answered through the
 * {@link RuntimeApiEmulator}, with its RSS and CPU time right after that answer. A baseline
 * function (the bare Funqy one in {@code infra/bench-baseline}) runs beside the target so
 * the target/baseline ratio shows what the function itself adds, on any machine.
 *
 * <p>Variants: {@code jdk17} and {@code jdk25} (a managed {@code java21}/{@code java25} runtime: the
 * runtime interface client on a stock JDK); {@code jdk25-aot} (the same with an AOT cache trained
 * on the events, same JDK and class path); {@code provided-aot} (the {@code provided.al2023}
 * package of {@link ProvidedPackage}: jlinked JDK 25 + AOT cache + bootstrap, unzipped elsewhere
 * as Lambda would and started through its bootstrap); {@code provided-cds} (the same without a
 * cache but with the JDK's default CDS archive: what that package falls back to).
 *
 * <p>Runs are interleaved (run 1 of every variant, then run 2, ...) so a load change on a shared
 * machine spreads over all variants instead of skewing one; each sample records the load average.
 */
public final class ColdStartBench {

    public static final List<String> VARIANTS = List.of("jdk17", "jdk25", "jdk25-aot", "provided-aot", "provided-cds");

    /**
     * @param baselineZip the baseline function's {@code function.zip}; null to skip it
     * @param targetZip   the function measured; null to skip it
     * @param events      sample events: the first is the measured one, all train the caches
     * @param variants    which of {@link #VARIANTS}, in this order
     * @param runs        measured launches per variant and function
     * @param warmups     launches before those, not counted (page cache, first-run effects)
     * @param jdk17Home   for {@code jdk17}
     * @param jdk25Home   for every JDK 25 variant (and the jlink)
     * @param jvmArgs     JVM options for every variant (baked into the packages' bootstraps); the CLI
     *                    defaults to {@link ProvidedPackage#DEFAULT_JVM_ARGS}, the deployed flags
     * @param env         variables for the function processes (e.g. SIYU_* settings)
     * @param workDir     scratch space; null for {@code coldstart/} beside each zip
     * @param timeout     per event
     * @param cpuList     null, or a {@code taskset -c} list to confine the functions to
     * @param localStack  run DynamoDB Local, ElasticMQ and the WeCom stub for the functions, with
     *                    a fresh table per launch (needs the SIYU_WECOM_* settings in {@code env})
     * @param blueprint   operator config applied to each such table (config/scrm.example.yaml), or null
     */
    public record Options(Path baselineZip, Path targetZip, List<Path> events, List<String> variants, int runs,
                          int warmups, Path jdk17Home, Path jdk25Home, List<String> jvmArgs,
                          Map<String, String> env, Path workDir, Duration timeout, String cpuList,
                          boolean localStack, Path blueprint) {
        public Options {
            events = List.copyOf(events);
            variants = List.copyOf(variants);
            jvmArgs = List.copyOf(jvmArgs);
            env = Map.copyOf(env);
            for (String v : variants) {
                if (!VARIANTS.contains(v)) {
                    throw new IllegalArgumentException("unknown variant " + v + "; known: " + VARIANTS);
                }
            }
        }
    }

    /**
     * One launch.
     *
     * @param coldMs   launch to the first answer
     * @param initMs   launch to the runtime's first poll (Lambda's Init Duration)
     * @param rssMb    resident memory right after the answer
     * @param cpuMs    CPU time of the process by then (10 ms resolution)
     * @param archives CDS/AOT archives mapped into the process
     * @param load1    the machine's 1-minute load average at the launch
     * @param status   the {@code statusCode} of the answer (an HTTP function's), or -1: a cold start
     *                 that ends in a 500 measured the wrong path
     */
    public record Sample(double coldMs, double initMs, double rssMb, double cpuMs, List<String> archives,
                         double load1, int status) {
    }

    public record Stats(double min, double median, double max) {
        static Stats of(List<Sample> samples, ToDoubleFunction<Sample> metric) {
            List<Double> v = samples.stream().map(metric::applyAsDouble).sorted().collect(Collectors.toList());
            if (v.isEmpty()) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN);
            }
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Stats(v.get(0), median, v.get(n - 1));
        }
    }

    /**
     * @param function     baseline or target, by name
     * @param variant      one of {@link #VARIANTS}
     * @param error        null, or why this variant could not be measured
     * @param statuses     the answers' distinct status codes, e.g. {@code 200} (-1: not an HTTP answer)
     * @param archivesUsed how many samples had the variant's cache or CDS archive mapped
     * @param packageBytes the zip this variant deploys ({@code function.zip} or the provided package)
     * @param cacheBytes   the AOT cache, 0 without
     */
    public record Measurement(String function, String variant, String error, List<Sample> samples, Stats coldMs,
                              Stats initMs, Stats rssMb, Stats cpuMs, String statuses, int archivesUsed,
                              long packageBytes, long cacheBytes) {
    }

    /** Target over baseline, median cold start of one variant. */
    public record Ratio(String variant, double baselineMs, double targetMs, double ratio) {
    }

    public record Result(String startedAt, int cpus, String event, List<Measurement> measurements,
                         List<Ratio> ratios) {
    }

    /** A variant ready to launch: how, and what it ships. */
    private record Prepared(LaunchSpec spec, long packageBytes, long cacheBytes) {
    }

    /** Per-launch variables: a fresh backend table each time, when there is a backend. */
    private interface Backend {
        Map<String, String> envFor(String launch);
    }

    private final PrintStream progress;

    /** {@code progress} gets a line per step (trainings, packages, launches). */
    public ColdStartBench(PrintStream progress) {
        this.progress = progress;
    }

    public Result run(Options o) {
        if (!o.localStack()) {
            return run(o, launch -> Map.of());
        }
        progress.println("starting DynamoDB Local, ElasticMQ and the WeCom stub for the functions");
        try (LocalBackend backend = LocalBackend.start(o.env(), o.blueprint())) {
            return run(o, launch -> backend.freshEnv(tableName(launch)));
        }
    }

    private Result run(Options o, Backend backend) {
        String startedAt = Instant.now().toString();
        List<byte[]> events = Args.readEvents(o.events());
        byte[] event = events.get(0);
        Map<String, Path> functions = new LinkedHashMap<>();
        if (o.baselineZip() != null) {
            functions.put(functionName(o.baselineZip()), o.baselineZip());
        }
        if (o.targetZip() != null) {
            functions.putIfAbsent(functionName(o.targetZip()), o.targetZip());
        }

        Map<String, Map<String, Prepared>> prepared = new LinkedHashMap<>();
        Map<String, Map<String, String>> errors = new LinkedHashMap<>();
        Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : functions.entrySet()) {
            Path work = (o.workDir() != null ? o.workDir() : f.getValue().toAbsolutePath().getParent().resolve("coldstart"))
                    .resolve(f.getKey());
            Map<String, Prepared> ready = new LinkedHashMap<>();
            Map<String, String> failed = new LinkedHashMap<>();
            for (String variant : o.variants()) {
                try {
                    progress.printf("[%s] preparing %s%n", f.getKey(), variant);
                    ready.put(variant, prepare(o, f.getValue(), work, variant, events,
                            backend.envFor(f.getKey() + "-" + variant + "-training")));
                } catch (RuntimeException e) {
                    failed.put(variant, describe(e));
                    progress.printf("[%s] %s: cannot prepare: %s%n", f.getKey(), variant, describe(e));
                }
            }
            prepared.put(f.getKey(), ready);
            errors.put(f.getKey(), failed);
            Map<String, List<Sample>> perVariant = new LinkedHashMap<>();
            ready.keySet().forEach(v -> perVariant.put(v, new ArrayList<>()));
            samples.put(f.getKey(), perVariant);
        }

        for (int run = -o.warmups(); run < o.runs(); run++) {
            for (String function : functions.keySet()) {
                for (Map.Entry<String, Prepared> v : prepared.get(function).entrySet()) {
                    if (errors.get(function).containsKey(v.getKey())) {
                        continue;
                    }
                    try {
                        int launch = run + o.warmups();
                        LaunchSpec base = v.getValue().spec();
                        // One log per launch: a failure in run 3 must not be overwritten by run 4.
                        LaunchSpec spec = base.toBuilder()
                                .env(backend.envFor(function + "-" + v.getKey() + "-" + launch))
                                .logFile(base.logFile().resolveSibling(v.getKey() + "-" + launch + ".log"))
                                .build();
                        Sample s = measure(spec, event, o.timeout());
                        progress.printf("[%s] %-13s %s %7.0f ms  init %5.0f ms  RSS %5.1f MB  CPU %5.0f ms  load %.2f  "
                                        + "status %d%s%n",
                                function, v.getKey(), run < 0 ? "warm-up" : "run " + (run + 1) + "  ", s.coldMs(),
                                s.initMs(), s.rssMb(), s.cpuMs(), s.load1(), s.status(),
                                s.archives().isEmpty() ? "" : "  " + s.archives().stream()
                                        .map(a -> Path.of(a).getFileName().toString()).collect(Collectors.joining(",")));
                        if (run >= 0) {
                            samples.get(function).get(v.getKey()).add(s);
                        }
                    } catch (RuntimeException e) {
                        errors.get(function).put(v.getKey(), describe(e));
                        progress.printf("[%s] %s failed: %s%n", function, v.getKey(), describe(e));
                    }
                }
            }
        }

        List<Measurement> measurements = new ArrayList<>();
        for (String function : functions.keySet()) {
            for (String variant : o.variants()) {
                Prepared p = prepared.get(function).get(variant);
                List<Sample> ss = samples.get(function).getOrDefault(variant, List.of());
                String error = errors.get(function).get(variant);
                String expected = variant.endsWith("-aot") ? ".aot" : ".jsa";
                int used = (int) ss.stream().filter(s -> s.archives().stream().anyMatch(a -> a.endsWith(expected))).count();
                measurements.add(new Measurement(function, variant, error, ss,
                        Stats.of(ss, Sample::coldMs), Stats.of(ss, Sample::initMs), Stats.of(ss, Sample::rssMb),
                        Stats.of(ss, Sample::cpuMs),
                        ss.stream().map(x -> Integer.toString(x.status())).distinct().collect(Collectors.joining("/")),
                        used, p == null ? 0 : p.packageBytes(),
                        p == null ? 0 : p.cacheBytes()));
            }
        }
        return new Result(startedAt, Runtime.getRuntime().availableProcessors(),
                o.events().isEmpty() ? "{}" : o.events().get(0).toString(), measurements, ratios(o, measurements));
    }

    private Prepared prepare(Options o, Path zip, Path work, String variant, List<byte[]> events,
                             Map<String, String> trainingEnv) {
        Path task = FunctionZip.unpack(zip, work.resolve("task"));
        Path jni = RuntimeInterfaceClient.fromOwnClassPath().jniLibrary(work.resolve("jni"));
        long zipBytes = size(zip);
        LaunchSpec.Builder managed = LaunchSpec.managedRuntime(task).jvmArgs(o.jvmArgs()).env(o.env())
                .jniLibrary(jni).cpuList(o.cpuList()).logFile(work.resolve(variant + ".log"));
        switch (variant) {
            case "jdk17":
                return new Prepared(managed.javaHome(requireJdk(o.jdk17Home())).build(), zipBytes, 0);
            case "jdk25":
                return new Prepared(managed.javaHome(requireJdk(o.jdk25Home())).build(), zipBytes, 0);
            case "jdk25-aot": {
                Path cache = work.resolve("jdk25.aot");
                LaunchSpec run = managed.javaHome(requireJdk(o.jdk25Home())).build();
                LaunchSpec training = run.toBuilder().jvmArg("-XX:AOTCacheOutput=" + cache).env(trainingEnv)
                        .logFile(work.resolve("jdk25-aot.training.log")).build();
                AotTraining.Result r = AotTraining.train(training, cache, events, 1, o.timeout());
                progress.printf("[%s] jdk25-aot: trained a %.1f MB cache in %.1f s%n", work.getFileName(),
                        r.bytes() / 1e6, r.elapsed().toMillis() / 1000.0);
                return new Prepared(run.toBuilder().jvmArg("-XX:AOTCache=" + cache).build(), zipBytes, r.bytes());
            }
            case "provided-aot":
            case "provided-cds": {
                boolean aot = variant.equals("provided-aot");
                Path packageZip = work.resolve(aot ? "function-aot.zip" : "function-cds.zip");
                ProvidedPackage.Result r = ProvidedPackage.build(new ProvidedPackage.Options(zip, o.events(),
                        packageZip, work.resolve(variant), requireJdk(o.jdk25Home()), o.jvmArgs(), List.of(),
                        JlinkRuntime.DEFAULT_COMPRESS, aot, !aot, 1, merged(o.env(), trainingEnv)));
                progress.printf("[%s] %s: package %.1f MB%s%n", work.getFileName(), variant, r.zipBytes() / 1e6,
                        aot ? String.format(Locale.ROOT, " (AOT cache %.1f MB)", r.cacheBytes() / 1e6) : "");
                // Started from a fresh unzip somewhere else, as Lambda does: proves the cache survives both.
                Path taskRoot = FunctionZip.unpack(packageZip, work.resolve(variant + "-task"));
                LaunchSpec spec = LaunchSpec.providedRuntime(taskRoot).env(o.env()).cpuList(o.cpuList())
                        .logFile(work.resolve(variant + ".log")).build();
                return new Prepared(spec, r.zipBytes(), r.cacheBytes());
            }
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** DynamoDB table names: 3-255 of [A-Za-z0-9_.-]. */
    static String tableName(String launch) {
        String t = "coldstart-" + launch.replaceAll("[^A-Za-z0-9_.-]", "-");
        return t.length() > 255 ? t.substring(0, 255) : t;
    }

    private static Sample measure(LaunchSpec spec, byte[] event, Duration timeout) {
        double load = loadAverage();
        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(0)) {
            // Queued before the launch: the runtime's first poll finds it, as on a cold invoke.
            CompletableFuture<RuntimeApiEmulator.Invocation> answer = api.invoke(event, timeout);
            try (FunctionProcess process = FunctionProcess.start(spec, api)) {
                RuntimeApiEmulator.Invocation inv;
                try {
                    inv = process.unlessExited(answer).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(process.failureReport(e.getCause()), e.getCause());
                } catch (TimeoutException e) {
                    throw new IllegalStateException(process.failureReport(
                            new TimeoutException("no answer within " + timeout)), e);
                }
                ProcStats stats = ProcStats.of(process.pid());
                if (inv.error()) {
                    throw new IllegalStateException("the function answered with an error: " + inv.payloadUtf8()
                            + " (log " + process.logFile() + ")");
                }
                long ready = api.runtimeReady().getNow(System.nanoTime());
                return new Sample(inv.latency().toNanos() / 1e6, (ready - process.startNanos()) / 1e6,
                        stats.rssKb() / 1024.0, stats.cpuMillis(), stats.archives(), load, inv.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<Ratio> ratios(Options o, List<Measurement> ms) {
        if (o.baselineZip() == null || o.targetZip() == null) {
            return List.of();
        }
        String base = functionName(o.baselineZip());
        String target = functionName(o.targetZip());
        List<Ratio> out = new ArrayList<>();
        for (String v : o.variants()) {
            Measurement b = find(ms, base, v);
            Measurement t = find(ms, target, v);
            if (b != null && t != null && !b.samples().isEmpty() && !t.samples().isEmpty()) {
                out.add(new Ratio(v, b.coldMs().median(), t.coldMs().median(), t.coldMs().median() / b.coldMs().median()));
            }
        }
        return out;
    }

    private static Measurement find(List<Measurement> ms, String function, String variant) {
        return ms.stream().filter(m -> m.function().equals(function) && m.variant().equals(variant))
                .findFirst().orElse(null);
    }

    /** The result as a text table: cold start, init, RSS and CPU per function and variant, then the ratios. */
    public static String table(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-16s %-13s %-20s %-7s %-18s %-7s %-7s %-8s %-9s %s%n", "function",
                "variant", "cold ms min/med/max", "init ms", "RSS MB min/med/max", "CPU ms", "status", "archive",
                "zip MB", "cache MB"));
        for (Measurement m : r.measurements()) {
            if (m.samples().isEmpty()) {
                b.append(String.format(Locale.ROOT, "%-16s %-13s %s%n", m.function(), m.variant(),
                        "FAILED: " + firstLine(m.error())));
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-16s %-13s %-20s %-7.0f %-18s %-7.0f %-7s %-8s %-9.1f %s%n",
                    m.function(), m.variant(),
                    String.format(Locale.ROOT, "%.0f/%.0f/%.0f", m.coldMs().min(), m.coldMs().median(), m.coldMs().max()),
                    m.initMs().median(),
                    String.format(Locale.ROOT, "%.0f/%.0f/%.0f", m.rssMb().min(), m.rssMb().median(), m.rssMb().max()),
                    m.cpuMs().median(), m.statuses(), m.archivesUsed() + "/" + m.samples().size(), m.packageBytes() / 1e6,
                    m.cacheBytes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", m.cacheBytes() / 1e6)));
            if (m.error() != null) {
                b.append("    (then failed: ").append(firstLine(m.error())).append(")\n");
            }
        }
        if (r.measurements().stream().flatMap(m -> m.samples().stream()).anyMatch(s -> s.status() >= 500)) {
            b.append("note: some answers were HTTP 5xx, so those launches timed a failure inside the function;"
                    + " logs are <work>/<function>/<variant>-<launch>.log\n");
        }
        if (!r.ratios().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n%-13s %-12s %-12s %s%n", "variant", "baseline ms", "target ms",
                    "target/baseline"));
            for (Ratio x : r.ratios()) {
                b.append(String.format(Locale.ROOT, "%-13s %-12.0f %-12.0f %.2f%n", x.variant(), x.baselineMs(),
                        x.targetMs(), x.ratio()));
            }
        }
        return b.toString();
    }

    public static String json(Result r) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ./siyu bench coldstart}'s entry point; {@code --help} lists the options. */
    public static void main(String[] args) {
        Args a;
        try {
            a = Args.parse(args, Set.of("help", "no-baseline", "no-target", "no-local-stack", "no-default-jvm-args"), Set.of("baseline", "target", "event",
                    "events-dir", "event-prefix", "variants", "runs", "warmups", "jdk17", "jdk25", "jvm-arg", "env",
                    "env-file", "work", "timeout-seconds", "cpus", "json", "blueprint"));
        } catch (IllegalArgumentException e) {
            System.err.println("coldstart: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return;
        }
        if (a.has("help")) {
            System.out.println(String.join("\n",
                    "usage: ColdStartBench [options]   (./siyu bench coldstart [options])",
                    "  --target ZIP          function measured (default functions/wecom-callback/target/function.zip)",
                    "  --baseline ZIP        reference function (default infra/bench-baseline/target/function.zip)",
                    "  --no-target | --no-baseline",
                    "  --event FILE          event to send (repeatable: the first is timed, all train the caches);",
                    "                        default events/<target>-*.json, else {}",
                    "  --events-dir DIR --event-prefix P   events DIR/P*.json instead",
                    "  --variants a,b        of " + String.join(",", VARIANTS) + " (default all)",
                    "  --runs N (5)  --warmups N (1)  --timeout-seconds N (60)",
                    "  --jdk17 HOME (JAVA17_HOME)  --jdk25 HOME (JAVA25_HOME, /usr/lib/jvm/temurin-25-jdk-amd64)",
                    "  --jvm-arg OPT         for every variant (repeatable), after the deployed flags",
                    "                        " + String.join(" ", ProvidedPackage.DEFAULT_JVM_ARGS),
                    "  --no-default-jvm-args leave those out (to compare with runs that had none)",
                    "  --env K=V, --env-file FILE   for the function processes (default config/local.env)",
                    "  --no-local-stack      do not start DynamoDB Local, ElasticMQ and the WeCom stub for them",
                    "  --blueprint FILE      operator config for each launch's table (config/scrm.example.yaml)",
                    "  --cpus LIST           run the functions under taskset -c LIST (e.g. 0 for one CPU)",
                    "  --work DIR            scratch space (default target/coldstart beside each zip)",
                    "  --json FILE|-         also write the result as JSON"));
            return;
        }
        Path root = Path.of(System.getProperty("siyu.root", ".")).toAbsolutePath().normalize();
        Path baseline = a.has("no-baseline") ? null
                : Path.of(a.get("baseline", root.resolve("infra/bench-baseline/target/function.zip").toString()));
        Path target = a.has("no-target") ? null
                : Path.of(a.get("target", root.resolve("functions/wecom-callback/target/function.zip").toString()));
        List<Path> events = new ArrayList<>();
        a.raw("event").forEach(e -> events.add(Path.of(e)));
        if (a.has("event-prefix")) {
            events.addAll(Args.eventFiles(Path.of(a.get("events-dir", root.resolve("events").toString())),
                    a.get("event-prefix", "")));
        } else if (events.isEmpty() && target != null) {
            events.addAll(Args.eventFiles(root.resolve("events"), functionName(target) + "-"));
        }
        Map<String, String> env = new LinkedHashMap<>();
        Path localEnv = root.resolve("config/local.env");
        if (!a.has("env-file") && Files.isRegularFile(localEnv)) {
            // The local defaults (never real credentials) every siyu function needs to start.
            env.putAll(Args.parse(new String[] {"--env-file", localEnv.toString()}, Set.of(), Set.of("env-file")).env());
        }
        env.putAll(a.env());
        Options o = new Options(baseline, target, events,
                a.has("variants") ? a.all("variants") : VARIANTS, a.getInt("runs", 5), a.getInt("warmups", 1),
                a.has("jdk17") ? Path.of(a.get("jdk17", null)) : defaultJava17Home(),
                a.has("jdk25") ? Path.of(a.get("jdk25", null)) : Args.defaultJava25Home(),
                ProvidedPackage.jvmArgs(a), env, a.has("work") ? Path.of(a.get("work", null)) : null,
                Duration.ofSeconds(a.getInt("timeout-seconds", 60)), a.get("cpus", null), !a.has("no-local-stack"),
                Path.of(a.get("blueprint", root.resolve("config/scrm.example.yaml").toString())));
        System.err.println("coldstart: event " + (events.isEmpty() ? "{}" : events.get(0))
                + (events.size() > 1 ? " (+" + (events.size() - 1) + " more for training)" : ""));
        Result r = new ColdStartBench(System.err).run(o);
        System.out.println();
        System.out.print(table(r));
        String json = a.get("json", null);
        if (json != null) {
            if (json.equals("-")) {
                System.out.println(json(r));
            } else {
                try {
                    Files.writeString(Path.of(json), json(r), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + json, e);
                }
            }
        }
        boolean anyMeasured = r.measurements().stream().anyMatch(m -> !m.samples().isEmpty());
        System.exit(anyMeasured ? 0 : 1);
    }

    /** {@code functions/wecom-callback/target/function.zip} is {@code wecom-callback}. */
    static String functionName(Path zip) {
        Path abs = zip.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir != null && dir.getFileName().toString().equals("target") && dir.getParent() != null) {
            return dir.getParent().getFileName().toString();
        }
        String file = abs.getFileName().toString();
        return file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
    }

    private static Path defaultJava17Home() {
        String env = System.getenv("JAVA17_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if (Runtime.version().feature() == 17) {
            return Path.of(System.getProperty("java.home"));
        }
        return Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    }

    private static Path requireJdk(Path home) {
        if (home == null || !Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException("no JDK at " + home);
        }
        return home;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        List<String> lines = List.of(s.split("\n"));
        return lines.isEmpty() ? "" : lines.get(0);
    }
}
