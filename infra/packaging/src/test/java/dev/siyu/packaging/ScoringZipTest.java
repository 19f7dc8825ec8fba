package dev.siyu.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring function's zip carries the OpenMP runtime XGBoost's native library needs and Lambda's Java runtimes
 * lack: lib/libgomp.so.1 (Lambda puts /var/task/lib on LD_LIBRARY_PATH), whose glibc needs fit Amazon Linux 2023's
 * glibc 2.34, and a JVM given only the zip's lib/ on LD_LIBRARY_PATH trains a booster with that copy.
 */
class ScoringZipTest {
    static final Path ZIP = Path.of("../../functions/scoring/target/function.zip");
    /** Amazon Linux 2023, the base of Lambda's java21/java25 and provided.al2023 runtimes. */
    static final String AL2023_GLIBC = "2.34";
    /** Lambda's limit for a zip uploaded directly. */
    static final long MAX_ZIP = 50L * 1024 * 1024;

    @TempDir
    Path tmp;

    static byte[] entry(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        assertThat(e).as(name + " in " + ZIP).isNotNull();
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theZipShipsLibgompForAl2023AndStaysUnderFiftyMegabytes() throws IOException {
        assumeTrue(Files.isRegularFile(ZIP), "package functions/scoring first: " + ZIP);
        assertThat(Files.size(ZIP)).isLessThan(MAX_ZIP);
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            ElfVersionNeeds gomp = ElfVersionNeeds.read(entry(zip, "lib/libgomp.so.1"));
            assertThat(gomp.needed()).containsExactly("libc.so.6");
            assertThat(gomp.newestGlibc()).isPresent();
            assertThat(gomp.runsOnGlibc(AL2023_GLIBC)).as("libgomp needs %s, AL2023 has GLIBC_%s", gomp.newestGlibc()
                    .orElseThrow(), AL2023_GLIBC).isTrue();

            // the booster's own library, as the xgboost jar in the zip carries it: it needs libgomp.so.1
            String jarName = zip.stream().map(ZipEntry::getName).filter(n -> n.matches("lib/.*xgboost4j.*\\.jar"))
                    .findFirst().orElseThrow();
            Path jar = tmp.resolve("xgboost4j.jar");
            Files.write(jar, entry(zip, jarName));
            try (JarFile j = new JarFile(jar.toFile()); InputStream in = j.getInputStream(j.getEntry("lib/linux/x86_64/libxgboost4j.so"))) {
                ElfVersionNeeds booster = ElfVersionNeeds.read(in.readAllBytes());
                assertThat(booster.needed()).contains("libgomp.so.1");
                assertThat(booster.versions().get("libgomp.so.1")).contains("GOMP_4.5");
                assertThat(booster.runsOnGlibc(AL2023_GLIBC)).isTrue();
            }
        }
    }

    @Test
    void aJvmWithOnlyTheZipsLibOnTheLibraryPathTrainsWithTheShippedLibgomp() throws Exception {
        assumeTrue(Files.isRegularFile(ZIP), "package functions/scoring first: " + ZIP);
        Path root = FunctionZip.unpack(ZIP, tmp.resolve("task"));
        List<String> cp = new ArrayList<>();
        FunctionLayout.of(root).classPath().forEach(p -> cp.add(p.toString()));
        cp.add(Paths.get(BoosterProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, cp), BoosterProbe.class.getName())
                .directory(root.toFile()).redirectErrorStream(true);
        // in Lambda's order (/lib64:/usr/lib64:$LAMBDA_RUNTIME_DIR:...:$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib:/opt/lib),
        // without the runtime's directories, which do not exist here; neither of the first two holds a libgomp here
        pb.environment().put("LD_LIBRARY_PATH", "/lib64:/usr/lib64:" + root + ":" + root.resolve("lib") + ":/opt/lib");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("predicted 8");
        assertThat(out.lines().filter(l -> l.startsWith("libgomp ")).toList()).as(out)
                .containsExactly("libgomp " + root.resolve("lib/libgomp.so.1").toRealPath());
    }
}
