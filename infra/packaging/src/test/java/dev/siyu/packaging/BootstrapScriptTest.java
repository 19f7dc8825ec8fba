package dev.siyu.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated provided.al2023 bootstrap, run by {@link FunctionProcess} against a stand-in
 * {@code jre/bin/java} that only reports how it was called: no JDK build needed.
 */
class BootstrapScriptTest {

    @TempDir
    Path root;

    @BeforeEach
    void fakePackage() throws IOException {
        Files.createDirectories(root.resolve("jre/bin"));
        Path java = Files.writeString(root.resolve("jre/bin/java"), "#!/bin/sh\n"
                + "echo \"cwd=$(pwd)\"\n"
                + "for a in \"$@\"; do echo \"arg=$a\"; done\n"
                + "echo \"api=$AWS_LAMBDA_RUNTIME_API\"\n"
                + "echo \"custom=$SIYU_X\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve(FunctionZip.RUNNER_JAR), "jar");
        Files.writeString(root.resolve(ProvidedPackage.CACHE), "cache");
        Path bootstrap = Files.writeString(root.resolve("bootstrap"), ProvidedPackage.bootstrapScript(
                List.of(FunctionZip.RUNNER_JAR, "lib/a.jar", "ric/client.jar"),
                List.of("-XX:+UseSerialGC", "-Dsiyu.note=two words"), LaunchSpec.FUNQY_HANDLER));
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        FunctionZip.setTimes(root, ProvidedPackage.FILE_TIME);
    }

    @Test
    void starts_the_client_from_the_task_root_with_the_cache_and_the_relative_class_path() throws Exception {
        // Lambda passes _HANDLER=bootstrap (template.yaml's Handler): the script must not use it.
        List<String> out = run(Map.of("SIYU_X", "1"));

        assertThat(out).contains("cwd=" + root.toRealPath(), "api=127.0.0.1:9", "custom=1",
                "arg=-XX:AOTCache=app.aot", "arg=-XX:+UseSerialGC", "arg=-Dsiyu.note=two words",
                "arg=-D" + RuntimeInterfaceClient.JNI_PROPERTY + "=" + root.toRealPath() + "/" + ProvidedPackage.JNI_LIBRARY,
                "arg=function-runner.jar:lib/a.jar:ric/client.jar",
                "arg=" + RuntimeInterfaceClient.MAIN_CLASS, "arg=" + LaunchSpec.FUNQY_HANDLER);
        assertThat(out.indexOf("arg=-cp")).isLessThan(out.indexOf("arg=" + RuntimeInterfaceClient.MAIN_CLASS));
    }

    @Test
    void a_training_launch_writes_the_cache_instead() throws Exception {
        List<String> out = run(Map.of(ProvidedPackage.TRAIN_ENV, "new.aot"));

        assertThat(out).contains("arg=-XX:AOTCacheOutput=new.aot").doesNotContain("arg=-XX:AOTCache=app.aot");
    }

    @Test
    void without_the_training_jar_times_it_leaves_the_cache_out_and_says_so() throws Exception {
        Files.setLastModifiedTime(root.resolve(FunctionZip.RUNNER_JAR), FileTime.fromMillis(System.currentTimeMillis()));

        List<String> out = run(Map.of());

        assertThat(out).noneMatch(l -> l.startsWith("arg=-XX:AOTCache"));
        assertThat(out).anyMatch(l -> l.contains("jar times differ from the AOT training"));
    }

    @Test
    void the_switch_turns_the_cache_off() throws Exception {
        assertThat(run(Map.of(ProvidedPackage.AOT_SWITCH_ENV, "off"))).noneMatch(l -> l.startsWith("arg=-XX:AOTCache"));
    }

    private List<String> run(Map<String, String> env) throws Exception {
        LaunchSpec spec = LaunchSpec.providedRuntime(root).env(env).logFile(root.resolve("out.log")).build();
        try (FunctionProcess p = FunctionProcess.start(spec, "127.0.0.1:9")) {
            assertThat(p.exit().get(20, TimeUnit.SECONDS)).isZero();
        }
        return Files.readAllLines(root.resolve("out.log")).stream().map(String::strip).collect(Collectors.toList());
    }
}
