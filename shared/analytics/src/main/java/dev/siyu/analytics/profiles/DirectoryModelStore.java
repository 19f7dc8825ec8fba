package dev.siyu.analytics.profiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Models in {@code <root>/<tenant>/}, written whole then moved into place so a reader never sees half a file. */
public final class DirectoryModelStore implements ModelStore {
    private final Path root;

    public DirectoryModelStore(Path root) {
        this.root = root;
    }

    @Override
    public void save(String tenant, String file, byte[] content) {
        try {
            Path dir = Files.createDirectories(root.resolve(tenant));
            Path tmp = Files.createTempFile(dir, file, ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scoring model " + file + " of " + tenant + " in " + root, e);
        }
    }

    @Override
    public Optional<byte[]> load(String tenant, String file) {
        Path p = root.resolve(tenant).resolve(file);
        try {
            return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scoring model " + p, e);
        }
    }
}
