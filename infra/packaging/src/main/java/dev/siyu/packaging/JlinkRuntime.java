package dev.siyu.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A trimmed Java runtime made with {@code jlink}, for a {@code provided.al2023} package. The module
 * set was verified with Quarkus Funqy functions: without {@code jdk.zipfs} Quarkus fails
 * with {@code Unable to find provider supporting jar scheme}.
 *
 * <p>Measured with Temurin 25.0.3 and those modules, zipped with the rest of a package: jlink's
 * {@code --compress=zip-9} gives a 49 MB image that zips to 28.4 MB, {@code zip-0} a 72 MB image
 * that zips to 23.4 MB (the package zip compresses the whole modules file better than jlink does
 * one class at a time) and needs no inflating at class load. Hence {@link #DEFAULT_COMPRESS}.
 * Temurin's {@code libjvm.so} also keeps its symbol table; stripping it saves another 1.5 MB.
 */
public final class JlinkRuntime {

    public static final List<String> BASE_MODULES = List.of(
            "java.base", "java.logging", "java.naming", "java.xml", "java.management", "java.sql",
            "jdk.unsupported", "java.net.http", "jdk.crypto.ec", "jdk.zipfs");

    public static final String DEFAULT_COMPRESS = "zip-0";

    private static final String STAMP = ".siyu-jlink";

    private JlinkRuntime() {
    }

    /**
     * Runs jlink from {@code jdkHome} into {@code output}, or keeps {@code output} when it was made
     * by the same JDK with the same modules and options. {@code compress} is jlink's
     * {@code --compress} level. {@code cdsArchive} adds the default CDS archive
     * ({@code --generate-cds-archive}, about 5 MB zipped): it speeds up a runtime started without
     * an AOT cache and is dead weight beside one, which replaces it.
     */
    public static Path build(Path jdkHome, Collection<String> extraModules, String compress, boolean cdsArchive,
                             Path output) {
        TreeSet<String> modules = new TreeSet<>(BASE_MODULES);
        modules.addAll(extraModules);
        Path strip = Path.of("/usr/bin/strip");
        List<String> cmd = new ArrayList<>(List.of(
                jdkHome.resolve("bin/jlink").toString(),
                "--add-modules", String.join(",", modules),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=" + compress));
        if (cdsArchive) {
            cmd.add("--generate-cds-archive");
        }
        cmd.add("--output");
        cmd.add(output.toString());
        try {
            String stamp = Files.readString(jdkHome.resolve("release")) + "\n" + String.join(" ", cmd)
                    + "\nstrip=" + Files.isExecutable(strip);
            Path stampFile = output.resolve(STAMP);
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return output;
            }
            FunctionZip.deleteTree(output);
            Files.createDirectories(output.toAbsolutePath().getParent());
            Path log = output.resolveSibling(output.getFileName() + ".jlink.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("jlink failed (" + rc + "): " + String.join(" ", cmd) + "\n"
                        + Files.readString(log));
            }
            if (Files.isExecutable(strip)) {
                // Keeps the dynamic symbols the JVM links against; only hs_err stack names get coarser.
                Path libjvm = output.resolve("lib/server/libjvm.so");
                Process s = new ProcessBuilder(strip.toString(), "--strip-unneeded", libjvm.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (s.waitFor() != 0) {
                    throw new IllegalStateException("strip " + libjvm + " failed:\n" + Files.readString(log));
                }
            }
            if (cdsArchive) {
                // Only used with heaps over 32 GB, which no Lambda function has.
                Files.deleteIfExists(output.resolve("lib/server/classes_nocoops.jsa"));
            }
            Files.writeString(stampFile, stamp);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("jlink into " + output + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jlink", e);
        }
    }
}
