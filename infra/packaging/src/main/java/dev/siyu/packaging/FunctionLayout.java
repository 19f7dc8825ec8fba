package dev.siyu.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class path of an unpacked function package: its runner jar first, then its {@code lib/}
 * jars. An AOT cache only loads with the class path it was trained with, so this order is fixed:
 * the runner manifest's {@code Class-Path} order (what Quarkus resolved), then any other jar under
 * {@code lib/} by name.
 *
 * @param root      the task root ({@code /var/task} on Lambda)
 * @param runnerJar the application jar
 * @param libJars   the dependencies, in class path order
 */
public record FunctionLayout(Path root, Path runnerJar, List<Path> libJars) {

    public FunctionLayout {
        libJars = List.copyOf(libJars);
    }

    /** Reads the layout of {@code root}, e.g. a directory from {@link FunctionZip#unpack}. */
    public static FunctionLayout of(Path root) {
        try {
            Path runner = runnerJar(root);
            Set<Path> libs = new LinkedHashSet<>();
            for (String entry : manifestClassPath(root, runner)) {
                Path jar = root.resolve(entry).normalize();
                if (Files.isRegularFile(jar)) {
                    libs.add(jar);
                }
            }
            libs.addAll(FunctionZip.jarsUnder(root.resolve("lib")));
            return new FunctionLayout(root, runner, new ArrayList<>(libs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the function layout of " + root, e);
        }
    }

    public List<Path> classPath() {
        List<Path> all = new ArrayList<>();
        all.add(runnerJar);
        all.addAll(libJars);
        return all;
    }

    private static Path runnerJar(Path root) throws IOException {
        List<Path> jars;
        try (Stream<Path> top = Files.list(root)) {
            jars = top.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        }
        for (Path jar : jars) {
            if (jar.getFileName().toString().endsWith("-runner.jar")) {
                return jar;
            }
        }
        if (jars.size() == 1) {
            return jars.get(0);
        }
        throw new IllegalArgumentException(root + " holds " + (jars.isEmpty() ? "no jar" : "several jars " + jars)
                + " at its root; unpack function.zip with FunctionZip.unpack, which jars the root classes");
    }

    /** The exploded zip's own manifest keeps the Class-Path the harness strips from its jar. */
    private static List<String> manifestClassPath(Path root, Path runner) throws IOException {
        Manifest manifest = null;
        Path exploded = root.resolve("META-INF/MANIFEST.MF");
        if (Files.isRegularFile(exploded)) {
            try (InputStream in = Files.newInputStream(exploded)) {
                manifest = new Manifest(in);
            }
        } else {
            try (JarFile jar = new JarFile(runner.toFile())) {
                manifest = jar.getManifest();
            }
        }
        String cp = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        List<String> entries = new ArrayList<>();
        if (cp != null) {
            for (String e : cp.trim().split("\\s+")) {
                if (!e.isEmpty()) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }
}
