package dev.siyu.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionProcessTest {

    /** Packaged by the reactor before this module (see this module's pom). */
    static final Path MINIMAL_ZIP = Path.of("../bench-baseline/target/function.zip");

    @TempDir
    Path tmp;

    @Test
    void the_baseline_function_answers_through_the_runtime_interface_client() throws Exception {
        assumeTrue(Files.isRegularFile(MINIMAL_ZIP), "run the reactor's package phase first: " + MINIMAL_ZIP);
        Path task = FunctionZip.unpack(MINIMAL_ZIP, tmp.resolve("task"));
        LaunchSpec spec = LaunchSpec.managedRuntime(task)
                .jniLibrary(RuntimeInterfaceClient.fromOwnClassPath().jniLibrary(tmp.resolve("jni")))
                .logFile(tmp.resolve("function.log"))
                .build();

        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(0);
             FunctionProcess process = FunctionProcess.start(spec, api)) {
            RuntimeApiEmulator.Invocation cold = process.unlessExited(
                    api.invoke("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60)))
                    .get(70, TimeUnit.SECONDS);
            RuntimeApiEmulator.Invocation warm = process.unlessExited(
                    api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30)))
                    .get(40, TimeUnit.SECONDS);

            assertThat(cold.error()).as(process.logTail(30)).isFalse();
            assertThat(cold.payloadUtf8()).contains("\"statusCode\":200").contains("success");
            assertThat(warm.payloadUtf8()).contains("success");
            assertThat(warm.latency()).isLessThan(cold.latency());
            assertThat(api.runtimeReady()).isCompleted();
            assertThat(ProcStats.of(process.pid()).rssKb()).isPositive();
        }
    }

    @Test
    void a_process_that_dies_fails_the_wait_at_once_with_its_log() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path bootstrap = Files.writeString(root.resolve("bootstrap"),
                "#!/bin/sh\necho \"no runtime for $_HANDLER at $AWS_LAMBDA_RUNTIME_API\"\nexit 3\n");
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        LaunchSpec spec = LaunchSpec.providedRuntime(root).handler("a.B::handle").build();

        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(0);
             FunctionProcess process = FunctionProcess.start(spec, api)) {
            CompletableFuture<RuntimeApiEmulator.Invocation> answer =
                    process.unlessExited(api.invoke("{}".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5)));

            assertThatThrownBy(() -> answer.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(FunctionProcess.FunctionExitedException.class)
                    .hasMessageContaining("exited with 3")
                    .hasMessageContaining("no runtime for a.B::handle at " + api.address());
        }
    }

    @Test
    void a_managed_runtime_launch_puts_the_function_before_the_client_on_the_class_path(@TempDir Path root)
            throws Exception {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(root.resolve("app-runner.jar")),
                new Manifest())) {
            jar.putNextEntry(new JarEntry("app.properties"));
        }
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib/dep.jar"), "jar");

        LaunchSpec spec = LaunchSpec.managedRuntime(root).jvmArg("-Xshare:auto").build();

        assertThat(FunctionProcess.command(spec)).startsWith(
                spec.javaHome().resolve("bin/java").toString(), "-Xshare:auto", "-cp");
        String cp = FunctionProcess.command(spec).get(3);
        assertThat(cp).startsWith(root.resolve("app-runner.jar") + ":" + root.resolve("lib/dep.jar") + ":");
        assertThat(cp).contains("aws-lambda-java-runtime-interface-client").contains("utils-lite");
        assertThat(FunctionProcess.command(spec)).endsWith(RuntimeInterfaceClient.MAIN_CLASS, LaunchSpec.FUNQY_HANDLER);
        assertThat(FunctionProcess.environment(spec, "127.0.0.1:1"))
                .containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:1")
                .containsEntry("LAMBDA_TASK_ROOT", root.toAbsolutePath().normalize().toString())
                .containsEntry("_HANDLER", LaunchSpec.FUNQY_HANDLER)
                .doesNotContainKey("JAVA_TOOL_OPTIONS");
    }
}
