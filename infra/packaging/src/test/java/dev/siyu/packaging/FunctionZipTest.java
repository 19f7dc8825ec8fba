package dev.siyu.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionZipTest {

    @TempDir
    Path tmp;

    @Test
    void unpacking_a_quarkus_zip_jars_its_root_classes_and_keeps_the_manifest_order_of_lib() throws IOException {
        Path zip = quarkusLikeZip(tmp.resolve("function.zip"));

        Path root = FunctionZip.unpack(zip, tmp.resolve("task"));
        FunctionLayout layout = FunctionLayout.of(root);

        assertThat(layout.runnerJar()).isEqualTo(root.resolve(FunctionZip.RUNNER_JAR));
        try (JarFile jar = new JarFile(layout.runnerJar().toFile())) {
            assertThat(jar.getEntry("dev/siyu/Fn.class")).isNotNull();
            assertThat(jar.getEntry("application.properties")).isNotNull();
            assertThat(jar.getEntry("lib/b.jar")).isNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Title")).isEqualTo("fn");
            assertThat(jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH)).isNull();
        }
        assertThat(layout.libJars()).containsExactly(root.resolve("lib/b.jar"), root.resolve("lib/a.jar"),
                root.resolve("lib/extra/c.jar"));
        assertThat(Files.getLastModifiedTime(root.resolve("lib/a.jar")).toInstant())
                .isEqualTo(Instant.parse("2021-03-04T05:06:08Z"));
    }

    @Test
    void unpacking_again_reuses_the_tree_until_the_zip_changes() throws IOException {
        Path zip = quarkusLikeZip(tmp.resolve("function.zip"));
        Path root = FunctionZip.unpack(zip, tmp.resolve("task"));
        Files.writeString(root.resolve("scratch"), "left by a run");

        FunctionZip.unpack(zip, tmp.resolve("task"));
        assertThat(root.resolve("scratch")).exists();

        Files.setLastModifiedTime(zip, FileTime.from(Instant.now().plusSeconds(60)));
        FunctionZip.unpack(zip, tmp.resolve("task"));
        assertThat(root.resolve("scratch")).doesNotExist();
        assertThat(root.resolve(FunctionZip.RUNNER_JAR)).exists();
    }

    @Test
    void packing_keeps_permissions_and_times_through_a_round_trip() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg/jre/bin"));
        Path bootstrap = Files.writeString(tmp.resolve("pkg/bootstrap"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path java = Files.writeString(dir.resolve("java"), "binary");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tmp.resolve("pkg/data.txt"), "data");
        FunctionZip.setTimes(tmp.resolve("pkg"), ProvidedPackage.FILE_TIME);

        FunctionZip.pack(tmp.resolve("pkg"), tmp.resolve("out/package.zip"));
        Path back = FunctionZip.unpack(tmp.resolve("out/package.zip"), tmp.resolve("back"));

        assertThat(Files.isExecutable(back.resolve("bootstrap"))).isTrue();
        assertThat(Files.isExecutable(back.resolve("jre/bin/java"))).isTrue();
        assertThat(Files.isExecutable(back.resolve("data.txt"))).isFalse();
        assertThat(Files.readString(back.resolve("data.txt"))).isEqualTo("data");
        for (String f : List.of("bootstrap", "jre/bin/java", "data.txt")) {
            assertThat(Files.getLastModifiedTime(back.resolve(f))).isEqualTo(ProvidedPackage.FILE_TIME);
        }
    }

    /** The shape Quarkus gives a Lambda function.zip: the runner jar's content unpacked, plus lib/. */
    private static Path quarkusLikeZip(Path zip) throws IOException {
        FileTime time = FileTime.from(Instant.parse("2021-03-04T05:06:08Z"));
        try (OutputStream raw = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(raw)) {
            put(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Title: fn\n"
                    + "Class-Path: lib/b.jar lib/a.jar\n\n", time);
            put(out, "dev/siyu/Fn.class", "not really a class", time);
            put(out, "application.properties", "quarkus.funqy.export=fn\n", time);
            put(out, "lib/a.jar", "a", time);
            put(out, "lib/b.jar", "b", time);
            put(out, "lib/extra/c.jar", "c", time);
        }
        return zip;
    }

    private static void put(ZipOutputStream out, String name, String content, FileTime time) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(time);
        out.putNextEntry(e);
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
