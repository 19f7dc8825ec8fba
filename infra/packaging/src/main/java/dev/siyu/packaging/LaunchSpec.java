package dev.siyu.packaging;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one function process, as Lambda would; see {@link FunctionProcess}. Two shapes:
 * <ul>
 *   <li>a managed Java runtime ({@link #managedRuntime}): {@code <javaHome>/bin/java <jvmArgs> -cp <classPath>
 *       AWSLambda <handler>} with the task root as working directory;</li>
 *   <li>an OS-only runtime ({@link #providedRuntime}, {@code provided.al2023}): the package's own
 *       {@code bootstrap} executable, which finds everything through {@code LAMBDA_TASK_ROOT},
 *       {@code _HANDLER} and {@code AWS_LAMBDA_RUNTIME_API}.</li>
 * </ul>
 *
 * @param taskRoot    the unpacked package, the process's working directory ({@code /var/task})
 * @param javaHome    the JDK or JRE for a managed-runtime launch; null for a bootstrap launch
 * @param bootstrap   the executable for a bootstrap launch; null for a managed-runtime launch
 * @param classPath   managed runtime only: function jars first, then the runtime client's
 * @param jvmArgs     managed runtime only: options before {@code -cp}
 * @param handler     the handler string ({@code _HANDLER})
 * @param env         added to the Lambda variables the launch sets, and winning over them
 * @param jniLibrary  managed runtime only: the runtime client's JNI library, or null to let the
 *                    client unpack it into /tmp as on Lambda
 * @param cpuList     null, or a {@code taskset -c} CPU list to run the process on (fewer CPUs,
 *                    as a small Lambda function gets)
 * @param logFile     where the process's stdout and stderr go; null for a temporary file
 */
public record LaunchSpec(Path taskRoot, Path javaHome, Path bootstrap, List<Path> classPath,
                         List<String> jvmArgs, String handler, Map<String, String> env,
                         Path jniLibrary, String cpuList, Path logFile) {

    public static final String FUNQY_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";

    public LaunchSpec {
        Objects.requireNonNull(taskRoot, "taskRoot");
        Objects.requireNonNull(handler, "handler");
        if ((javaHome == null) == (bootstrap == null)) {
            throw new IllegalArgumentException("give exactly one of javaHome (managed runtime) and bootstrap");
        }
        if (bootstrap != null && (!classPath.isEmpty() || !jvmArgs.isEmpty() || jniLibrary != null)) {
            throw new IllegalArgumentException("a bootstrap launch takes its class path and JVM options from "
                    + "the bootstrap script; pass JVM options in env JAVA_TOOL_OPTIONS if you must");
        }
        if (javaHome != null && classPath.isEmpty()) {
            throw new IllegalArgumentException("a managed-runtime launch needs a class path");
        }
        classPath = List.copyOf(classPath);
        jvmArgs = List.copyOf(jvmArgs);
        env = Map.copyOf(env);
    }

    /**
     * A managed-runtime launch of the unpacked package at {@code taskRoot}: class path = its
     * {@link FunctionLayout} then the runtime client this JVM carries, on this JVM's own Java
     * unless {@link Builder#javaHome} says otherwise.
     */
    public static Builder managedRuntime(Path taskRoot) {
        FunctionLayout layout = FunctionLayout.of(taskRoot);
        RuntimeInterfaceClient client = RuntimeInterfaceClient.fromOwnClassPath();
        Builder b = new Builder(taskRoot);
        b.javaHome = Paths.get(System.getProperty("java.home"));
        b.classPath.addAll(layout.classPath());
        b.classPath.addAll(client.jars());
        return b;
    }

    /**
     * A {@code provided.al2023} launch: runs {@code taskRoot/bootstrap}, with {@code _HANDLER} set
     * to {@code bootstrap}, what template.yaml configures for the custom-runtime variants.
     */
    public static Builder providedRuntime(Path taskRoot) {
        Builder b = new Builder(taskRoot);
        b.bootstrap = taskRoot.resolve("bootstrap");
        b.handler = "bootstrap";
        return b;
    }

    public boolean isBootstrap() {
        return bootstrap != null;
    }

    public Builder toBuilder() {
        Builder b = new Builder(taskRoot);
        b.javaHome = javaHome;
        b.bootstrap = bootstrap;
        b.classPath.addAll(classPath);
        b.jvmArgs.addAll(jvmArgs);
        b.handler = handler;
        b.env.putAll(env);
        b.jniLibrary = jniLibrary;
        b.cpuList = cpuList;
        b.logFile = logFile;
        return b;
    }

    public static final class Builder {
        private final Path taskRoot;
        private Path javaHome;
        private Path bootstrap;
        private final List<Path> classPath = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private String handler = FUNQY_HANDLER;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path jniLibrary;
        private String cpuList;
        private Path logFile;

        private Builder(Path taskRoot) {
            this.taskRoot = taskRoot.toAbsolutePath().normalize();
        }

        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        public Builder bootstrap(Path bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        /** Replaces the class path; the runtime client's jars must be on it too. */
        public Builder classPath(List<Path> classPath) {
            this.classPath.clear();
            this.classPath.addAll(classPath);
            return this;
        }

        public Builder jvmArg(String... args) {
            jvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        public Builder jvmArgs(List<String> args) {
            jvmArgs.addAll(args);
            return this;
        }

        public Builder handler(String handler) {
            this.handler = handler;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> vars) {
            env.putAll(vars);
            return this;
        }

        public Builder jniLibrary(Path jniLibrary) {
            this.jniLibrary = jniLibrary;
            return this;
        }

        public Builder cpuList(String cpuList) {
            this.cpuList = cpuList;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public LaunchSpec build() {
            return new LaunchSpec(taskRoot, javaHome, bootstrap, classPath, jvmArgs, handler, env,
                    jniLibrary, cpuList, logFile);
        }
    }
}
