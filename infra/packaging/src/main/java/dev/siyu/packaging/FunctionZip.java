package dev.siyu.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lambda deployment packages on disk: unpacking a {@code function.zip} the way Lambda does (into a
 * task root), and writing one with Unix permissions (a {@code provided.al2023} package needs an
 * executable {@code bootstrap} and {@code jre/bin/java}).
 */
public final class FunctionZip {

    /**
     * The jar made from the classes at the root of an unpacked Quarkus {@code function.zip}. That
     * zip holds the runner jar's content unpacked (the managed runtime's layout), but the class path
     * of an AOT cache may not contain a non-empty directory, so the harness jars them.
     */
    public static final String RUNNER_JAR = "function-runner.jar";

    private static final String MARKER = ".siyu-unpacked";
    private static final Map<String, String> READ_POSIX = Map.of("enablePosixFileAttributes", "true");

    private FunctionZip() {
    }

    /**
     * Unpacks {@code zip} into {@code dir} unless {@code dir} already holds this zip (same size and
     * modification time), then makes sure the root's classes are also in {@link #RUNNER_JAR}. The
     * new tree is written beside the old one and renamed into place, so no reader sees it half-written.
     */
    public static Path unpack(Path zip, Path dir) {
        try {
            String stamp = zip.toAbsolutePath() + "\n" + Files.size(zip) + "\n" + Files.getLastModifiedTime(zip).toMillis();
            Path marker = dir.resolve(MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
                return dir;
            }
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path fresh = Files.createTempDirectory(parent, dir.getFileName() + ".unpacking-");
            extract(zip, fresh);
            jarRootClasses(fresh);
            Files.writeString(fresh.resolve(MARKER), stamp);
            deleteTree(dir);
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + dir, e);
        }
    }

    /** Copies every entry with its modification time and, when the zip records them, permissions. */
    static void extract(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (FileSystem fs = FileSystems.newFileSystem(zip, READ_POSIX)) {
            Path top = fs.getPath("/");
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(top)) {
                entries = walk.collect(Collectors.toList());
            }
            Map<Path, FileTime> dirTimes = new HashMap<>();
            for (Path entry : entries) {
                Path out = root.resolve(top.relativize(entry).toString()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry " + entry + " escapes " + root);
                }
                if (Files.isDirectory(entry)) {
                    Files.createDirectories(out);
                    dirTimes.put(out, Files.getLastModifiedTime(entry));
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.copy(entry, out, StandardCopyOption.REPLACE_EXISTING);
                Set<PosixFilePermission> perms = zipPermissions(entry);
                if (perms != null && !perms.isEmpty()) {
                    Set<PosixFilePermission> readable = EnumSet.copyOf(perms);
                    readable.add(PosixFilePermission.OWNER_READ);
                    Files.setPosixFilePermissions(out, readable);
                }
                // An AOT or CDS archive remembers the jars' modification times: keep the zip's.
                Files.setLastModifiedTime(out, Files.getLastModifiedTime(entry));
            }
            for (Map.Entry<Path, FileTime> d : dirTimes.entrySet()) {
                Files.setLastModifiedTime(d.getKey(), d.getValue());
            }
        }
    }

    private static Set<PosixFilePermission> zipPermissions(Path entry) {
        PosixFileAttributeView view = Files.getFileAttributeView(entry, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        try {
            return view.readAttributes().permissions();
        } catch (IOException | UnsupportedOperationException e) {
            // Zips written without Unix attributes (most Maven-built ones): keep the umask default.
            return null;
        }
    }

    /** Jars the classes and resources at the root (everything but {@code lib/}) when no jar is there. */
    static void jarRootClasses(Path root) throws IOException {
        try (Stream<Path> top = Files.list(root)) {
            if (top.anyMatch(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))) {
                return;
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !root.relativize(p).startsWith("lib"))
                    .sorted(Comparator.comparing(p -> root.relativize(p).toString()))
                    .collect(Collectors.toList());
        }
        Path manifestFile = root.resolve("META-INF/MANIFEST.MF");
        Manifest manifest = new Manifest();
        if (Files.isRegularFile(manifestFile)) {
            try (InputStream in = Files.newInputStream(manifestFile)) {
                manifest.read(in);
            }
        }
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        // The harness lists lib/ itself, in this order; a manifest Class-Path would add a second,
        // implicit copy of it that an AOT cache then also has to match.
        manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
        Path jar = root.resolve(RUNNER_JAR);
        FileTime newest = FileTime.fromMillis(0);
        try (OutputStream raw = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(raw, manifest)) {
            for (Path file : files) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF") || name.equals(MARKER)) {
                    continue;
                }
                JarEntry entry = new JarEntry(name);
                FileTime time = Files.getLastModifiedTime(file);
                entry.setLastModifiedTime(time);
                newest = time.compareTo(newest) > 0 ? time : newest;
                out.putNextEntry(entry);
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        Files.setLastModifiedTime(jar, newest);
    }

    /**
     * Writes {@code dir} as {@code zip} (replacing it), entries in name order, with each file's
     * permissions and modification time. Symbolic links (jlink's legal/ notices) are stored as the
     * files they point to.
     */
    public static void pack(Path dir, Path zip) {
        try {
            Path parent = zip.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, zip.getFileName().toString(), ".partial");
            Files.delete(partial);
            Map<String, Object> env = new HashMap<>();
            env.put("create", "true");
            env.put("enablePosixFileAttributes", "true");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> !p.equals(dir))
                        .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                        .collect(Collectors.toList());
            }
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + partial.toUri()), env)) {
                for (Path file : files) {
                    String name = dir.relativize(file).toString().replace('\\', '/');
                    if (name.equals(MARKER)) {
                        continue;
                    }
                    Path entry = fs.getPath(name);
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(entry);
                        continue;
                    }
                    Files.copy(file, entry);
                    Files.setPosixFilePermissions(entry, Files.getPosixFilePermissions(file));
                    Files.setLastModifiedTime(entry, Files.getLastModifiedTime(file));
                }
            }
            Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + zip + " from " + dir, e);
        }
    }

    /**
     * Sets every file's modification time to {@code time}. Zip keeps times to the second, so an
     * AOT cache trained on files with finer times would not match the same files unpacked.
     */
    public static void setTimes(Path dir, FileTime time) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isSymbolicLink()) {
                        Files.setLastModifiedTime(file, time);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long treeSize(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }

    static List<Path> jarsUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                    .collect(Collectors.toList());
        }
    }
}
