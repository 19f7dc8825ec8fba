package dev.siyu.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A {@code provided.al2023} deployment package of a Quarkus Lambda function: the function's jars, the
 * runtime interface client, a jlinked JDK 25 and an AOT cache trained on sample events, started by
 * a {@code bootstrap} script. The managed Java runtimes cannot use an AOT cache (it only loads on
 * the JDK build that wrote it), hence shipping the JDK.
 *
 * <pre>
 * bootstrap                 starts jre/bin/java with the cache; see {@link #bootstrapScript}
 * function-runner.jar       the application (first on the class path, as in training)
 * lib/...                   its dependencies
 * ric/...                   runtime interface client jars + its JNI library, unpacked
 * jre/                      jlink image (JlinkRuntime's modules)
 * app.aot                   the AOT cache
 * </pre>
 *
 * <p>Every file carries one fixed modification time, because the cache records the jars' times
 * and zip keeps them only to the second. Whether Lambda keeps the zip's times when unpacking is
 * not verified here; the bootstrap checks and runs without the cache (saying so on stderr, which
 * reaches CloudWatch) rather than let the JVM reject it and also lose the default CDS archive.
 */
public final class ProvidedPackage {

    /** Set on a bootstrap launch to make it write an AOT cache there instead of using one. */
    public static final String TRAIN_ENV = "SIYU_AOT_CACHE_OUTPUT";
    /** {@code off} runs the bootstrap without the cache (to compare, or to rule it out). */
    public static final String AOT_SWITCH_ENV = "SIYU_AOT";
    public static final String CACHE = "app.aot";
    public static final String JNI_LIBRARY = "ric/libaws-lambda-jni.so";
    /**
     * JVM options for a function, baked into the bootstrap (and so into the training). The GC is
     * pinned because ergonomics picks it from the machine (G1 on a build host, Serial in a 1 GB
     * Lambda), and the cache should be written and read under the same one. C1 only: measured on the
     * callback with one CPU, 1.31 s instead of 1.86 s to the first answer and 1.1 s instead of 1.6 s of
     * CPU; a function living seconds to minutes never repays C2's compile time. template.yaml gives
     * the managed variant the same C1 setting through JAVA_TOOL_OPTIONS.
     */
    public static final List<String> DEFAULT_JVM_ARGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** 2020-01-01T00:00:00Z: whole seconds, so a zip round trip keeps it exactly. */
    public static final FileTime FILE_TIME = FileTime.from(Instant.ofEpochSecond(1_577_836_800L));

    /**
     * @param functionZip    the Quarkus-built {@code function.zip}
     * @param events         sample events for the training (none: one empty JSON object)
     * @param outputZip      the package to write
     * @param workDir        scratch space (unpacked function, jlink image, staging tree)
     * @param jdkHome        the JDK 25 to jlink (the cache is trained on the jlinked runtime itself)
     * @param jvmArgs        JVM options baked into the bootstrap (and so into the training), e.g.
     *                       {@link #DEFAULT_JVM_ARGS}
     * @param extraModules   modules beyond {@link JlinkRuntime#BASE_MODULES}
     * @param jlinkCompress  jlink's {@code --compress} ({@link JlinkRuntime#DEFAULT_COMPRESS})
     * @param aotCache       train and ship the AOT cache
     * @param cdsArchive     ship the JDK's default CDS archive too (fallback without the cache)
     * @param trainingRounds how many times the training sends each event
     * @param env            variables the function needs to start (the training run gets them)
     */
    public record Options(Path functionZip, List<Path> events, Path outputZip, Path workDir, Path jdkHome,
                          List<String> jvmArgs, List<String> extraModules, String jlinkCompress,
                          boolean aotCache, boolean cdsArchive,
                          int trainingRounds, Map<String, String> env) {
        public Options {
            events = List.copyOf(events);
            jvmArgs = List.copyOf(jvmArgs);
            extraModules = List.copyOf(extraModules);
            env = Map.copyOf(env);
        }
    }

    /**
     * @param zip           the package
     * @param zipBytes      its size (Lambda's direct upload limit is 50 MB)
     * @param unpackedBytes its size unpacked (limit 250 MB)
     * @param appBytes      function jars
     * @param clientBytes   runtime interface client jars and JNI library
     * @param jreBytes      the jlink image
     * @param cacheBytes    the AOT cache, 0 without
     * @param training      the training run, null without a cache
     * @param elapsed       how long the build took
     */
    public record Result(Path zip, long zipBytes, long unpackedBytes, long appBytes, long clientBytes,
                         long jreBytes, long cacheBytes, AotTraining.Result training, Duration elapsed) {
    }

    private ProvidedPackage() {
    }

    public static Result build(Options o) {
        long t0 = System.nanoTime();
        try {
            Path work = o.workDir().toAbsolutePath();
            FunctionLayout layout = FunctionLayout.of(FunctionZip.unpack(o.functionZip(), work.resolve("function")));
            Path stage = work.resolve("stage");
            FunctionZip.deleteTree(stage);
            Files.createDirectories(stage);

            List<String> classPath = new ArrayList<>();
            Files.copy(layout.runnerJar(), stage.resolve(FunctionZip.RUNNER_JAR));
            classPath.add(FunctionZip.RUNNER_JAR);
            for (Path jar : layout.libJars()) {
                String rel = layout.root().relativize(jar).toString();
                Path target = stage.resolve(rel);
                Files.createDirectories(target.getParent());
                Files.copy(jar, target);
                classPath.add(rel);
            }
            long appBytes = FunctionZip.treeSize(stage);

            RuntimeInterfaceClient client = RuntimeInterfaceClient.fromOwnClassPath();
            Path ric = Files.createDirectories(stage.resolve("ric"));
            for (Path jar : client.jars()) {
                if (jar.equals(client.clientJar())) {
                    // The bootstrap points the client at its unpacked JNI library, so the four builds of
                    // it inside the jar (musl and aarch64 too) would be 1.3 MB of dead weight zipped.
                    copyJarWithout(jar, ric.resolve(jar.getFileName()), "jni/");
                } else {
                    Files.copy(jar, ric.resolve(jar.getFileName()));
                }
                classPath.add("ric/" + jar.getFileName());
            }
            Files.copy(client.jniLibrary(work.resolve("jni")), stage.resolve(JNI_LIBRARY));
            long clientBytes = FunctionZip.treeSize(ric);

            Path jre = JlinkRuntime.build(o.jdkHome(), o.extraModules(), o.jlinkCompress(), o.cdsArchive(),
                    work.resolve("jre-" + o.jlinkCompress() + (o.cdsArchive() ? "-cds" : "")));
            copyTree(jre, stage.resolve("jre"));
            long jreBytes = FunctionZip.treeSize(stage.resolve("jre"));

            Path bootstrap = stage.resolve("bootstrap");
            List<String> jvmArgs = new ArrayList<>();
            // JDK 25 warns on stderr (so into CloudWatch) at each start when the client loads its JNI library.
            jvmArgs.add("--enable-native-access=ALL-UNNAMED");
            jvmArgs.addAll(o.jvmArgs());
            Files.writeString(bootstrap, bootstrapScript(classPath, jvmArgs, LaunchSpec.FUNQY_HANDLER));
            Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
            FunctionZip.setTimes(stage, FILE_TIME);

            AotTraining.Result training = null;
            if (o.aotCache()) {
                LaunchSpec spec = LaunchSpec.providedRuntime(stage)
                        .env(o.env())
                        .env(TRAIN_ENV, CACHE)
                        .logFile(work.resolve("training.log"))
                        .build();
                training = AotTraining.train(spec, stage.resolve(CACHE), Args.readEvents(o.events()),
                        o.trainingRounds(), Duration.ofSeconds(60));
                removeStrays(stage);
                FunctionZip.setTimes(stage, FILE_TIME);
            }
            FunctionZip.pack(stage, o.outputZip());
            return new Result(o.outputZip(), Files.size(o.outputZip()), FunctionZip.treeSize(stage), appBytes,
                    clientBytes, jreBytes, training == null ? 0 : training.bytes(), training,
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + o.outputZip(), e);
        }
    }

    /**
     * The bootstrap: {@code provided.al2023} runs it with {@code LAMBDA_TASK_ROOT}, {@code _HANDLER}
     * and {@code AWS_LAMBDA_RUNTIME_API} set. Plain POSIX sh, since the image has little else.
     */
    static String bootstrapScript(List<String> classPath, List<String> jvmArgs, String handler) {
        String opts = jvmArgs.stream().map(ProvidedPackage::shellQuote).collect(Collectors.joining(" "));
        long trainedTime = FILE_TIME.toInstant().getEpochSecond();
        return "#!/bin/sh\n"
                + "# provided.al2023 bootstrap written by siyu's infra/packaging/build-aot-variant.sh: starts the\n"
                + "# AWS Lambda runtime interface client on the bundled jlinked JDK 25 with the trained AOT cache.\n"
                + "set -eu\n"
                + "# The runtime interface client loads the handler from its working directory.\n"
                + "cd \"${LAMBDA_TASK_ROOT:-$(dirname \"$0\")}\"\n"
                + "# Relative and in training order: the cache only loads with this exact class path.\n"
                + "CP='" + String.join(":", classPath) + "'\n"
                + "AOT=''\n"
                + "if [ -n \"${" + TRAIN_ENV + ":-}\" ]; then\n"
                + "  AOT=\"-XX:AOTCacheOutput=$" + TRAIN_ENV + "\"\n"
                + "elif [ -f " + CACHE + " ] && [ \"${" + AOT_SWITCH_ENV + ":-on}\" != off ]; then\n"
                + "  # A jar whose time differs from training makes the JVM drop the cache and every other\n"
                + "  # CDS archive with it; then it is better not to ask for the cache at all.\n"
                + "  t=$(stat -c %Y " + FunctionZip.RUNNER_JAR + " 2>/dev/null || echo " + trainedTime + ")\n"
                + "  if [ \"$t\" = " + trainedTime + " ]; then\n"
                + "    AOT='-XX:AOTCache=" + CACHE + "'\n"
                + "  else\n"
                + "    echo \"bootstrap: jar times differ from the AOT training ($t); starting without the cache\" >&2\n"
                + "  fi\n"
                + "fi\n"
                + "# The handler is fixed: Lambda's Handler setting of a provided runtime is free text (\"bootstrap\").\n"
                + "exec ./jre/bin/java $AOT " + (opts.isEmpty() ? "" : opts + " ")
                + "-D" + RuntimeInterfaceClient.JNI_PROPERTY + "=\"$PWD/" + JNI_LIBRARY + "\" \\\n"
                + "  -cp \"$CP\" " + RuntimeInterfaceClient.MAIN_CLASS + " " + shellQuote(handler) + "\n";
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_=:.,/+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Copies a tree with permissions, leaving out the harness's own marker files. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().startsWith(".siyu-")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyJarWithout(Path from, Path to, String prefix) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                if (e.getName().startsWith(prefix)) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setLastModifiedTime(e.getLastModifiedTime());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    /** Anything the training run left at the root besides the package itself. */
    private static void removeStrays(Path stage) throws IOException {
        Set<String> expected = Set.of("bootstrap", FunctionZip.RUNNER_JAR, "lib", "ric", "jre", CACHE);
        try (Stream<Path> top = Files.list(stage)) {
            for (Path p : top.collect(Collectors.toList())) {
                if (!expected.contains(p.getFileName().toString())) {
                    FunctionZip.deleteTree(p);
                }
            }
        }
    }

    /** {@code build-aot-variant.sh}'s entry point; {@code --help} lists the options. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        Args a;
        try {
            a = Args.parse(args, Set.of("help", "cds", "no-aot", "local-stack", "no-default-jvm-args"), Set.of("function-zip", "out", "work", "jdk",
                    "blueprint",
                    "event", "events-dir", "event-prefix", "jvm-arg", "add-modules", "jlink-compress", "rounds", "env",
                    "env-file"));
        } catch (IllegalArgumentException e) {
            System.err.println("build-aot-variant: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (a.has("help") || !a.has("function-zip")) {
            out.println("usage: ProvidedPackage --function-zip target/function.zip [--out target/function-aot.zip]\n"
                    + "  [--event FILE]... [--events-dir events --event-prefix NAME-] [--jdk JAVA25_HOME]\n"
                    + "  [--jvm-arg OPT]... (added to " + String.join(" ", DEFAULT_JVM_ARGS) + " unless --no-default-jvm-args)\n"
                    + "  [--add-modules m1,m2] [--jlink-compress zip-0|zip-9] [--cds] [--no-aot]\n"
                    + "  [--rounds N]\n"
                    + "  [--env K=V]... [--env-file FILE] [--work DIR]\n"
                    + "  [--local-stack [--blueprint config/scrm.example.yaml]]  train against DynamoDB Local,\n"
                    + "      ElasticMQ and the WeCom stub, so the cache covers the AWS SDK and WeCom code paths");
            System.exit(a.has("help") ? 0 : 2);
            return;
        }
        // Normalised: the layout dedupes jars by path, and a "dir/../" spelling would list them twice.
        Path zip = Path.of(a.get("function-zip", null)).toAbsolutePath().normalize();
        List<Path> events = new ArrayList<>();
        a.raw("event").forEach(e -> events.add(Path.of(e)));
        if (a.has("event-prefix")) {
            events.addAll(Args.eventFiles(Path.of(a.get("events-dir", "events")), a.get("event-prefix", "")));
        }
        Map<String, String> env = new LinkedHashMap<>(a.env());
        LocalBackend backend = null;
        if (a.has("local-stack")) {
            out.println("training against DynamoDB Local, ElasticMQ and the WeCom stub");
            backend = LocalBackend.start(env, a.has("blueprint") ? Path.of(a.get("blueprint", null)) : null);
            env.putAll(backend.freshEnv("aot-training"));
        }
        Options o = new Options(zip, events,
                Path.of(a.get("out", zip.resolveSibling("function-aot.zip").toString())),
                Path.of(a.get("work", zip.resolveSibling("aot-package").toString())),
                Path.of(a.get("jdk", Args.defaultJava25Home().toString())),
                jvmArgs(a), a.all("add-modules"), a.get("jlink-compress", JlinkRuntime.DEFAULT_COMPRESS),
                !a.has("no-aot"), a.has("cds"), a.getInt("rounds", 1), env);
        out.println("training events: " + (events.isEmpty() ? "{} (none given)"
                : events.stream().map(Path::toString).collect(Collectors.joining(" "))));
        Result r;
        try {
            r = build(o);
        } finally {
            if (backend != null) {
                backend.close();
            }
        }
        out.printf("package:        %s%n", r.zip());
        out.printf("zip size:       %.1f MB (unpacked %.1f MB)%n", mb(r.zipBytes()), mb(r.unpackedBytes()));
        out.printf("  function:     %.1f MB%n", mb(r.appBytes()));
        out.printf("  runtime API client: %.1f MB%n", mb(r.clientBytes()));
        out.printf("  jlinked JDK:  %.1f MB%n", mb(r.jreBytes()));
        if (r.training() != null) {
            out.printf("  AOT cache:    %.1f MB (%d events answered, trained in %.1f s; log %s)%n",
                    mb(r.cacheBytes()), r.training().answered(),
                    r.training().elapsed().toMillis() / 1000.0, r.training().log());
        }
        out.printf("built in %.1f s%n", r.elapsed().toMillis() / 1000.0);
    }

    /** {@link #DEFAULT_JVM_ARGS} (unless {@code --no-default-jvm-args}) then every {@code --jvm-arg}. */
    public static List<String> jvmArgs(Args a) {
        List<String> args = new ArrayList<>();
        if (!a.has("no-default-jvm-args")) {
            args.addAll(DEFAULT_JVM_ARGS);
        }
        args.addAll(a.raw("jvm-arg"));
        return args;
    }

    private static double mb(long bytes) {
        return bytes / 1_000_000.0;
    }
}
