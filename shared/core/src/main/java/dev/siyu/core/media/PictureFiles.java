package dev.siyu.core.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The picture files the blueprint names ({@code picture: media/guide-card.png}), by their path under the
 * blueprint's directory. A picture is looked for in that directory on disk ({@code config/} of the repository
 * for {@code ./siyu}; found by walking up from the working directory), then on the classpath (the functions
 * bundle the blueprint's {@code media/} beside it). {@link #PLACEHOLDER} is the suite's own
 * cover for a card whose blueprint names no picture.
 */
public final class PictureFiles {
    /** The cover of a card that names no picture: a plain square, shipped with the suite. */
    public static final String PLACEHOLDER = "media/placeholder-card.png";
    private static final String PLACEHOLDER_RESOURCE = "/dev/siyu/core/media/placeholder-card.png";

    private final Path dir;

    /** @param dir the blueprint's directory; null: look only on the classpath */
    public PictureFiles(Path dir) {
        this.dir = dir;
    }

    /** The repository's {@code config/} found from the working directory (up to 4 levels up), else the classpath. */
    public static PictureFiles standard() {
        Path at = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && at != null; i++, at = at.getParent()) {
            if (Files.isDirectory(at.resolve("config"))) {
                return new PictureFiles(at.resolve("config"));
            }
        }
        return new PictureFiles(null);
    }

    /** True when {@link #read} would find the picture (the blueprint loader's check). */
    public boolean exists(String picture) {
        return PLACEHOLDER.equals(picture) || file(picture).isPresent() || resource(picture) != null;
    }

    /** The picture's bytes; IllegalArgumentException when it is nowhere. */
    public byte[] read(String picture) {
        try {
            Optional<Path> f = file(picture);
            if (f.isPresent()) {
                return Files.readAllBytes(f.get());
            }
            try (InputStream in = resource(picture)) {
                if (in != null) {
                    return in.readAllBytes();
                }
            }
            if (PLACEHOLDER.equals(picture)) {
                try (InputStream in = PictureFiles.class.getResourceAsStream(PLACEHOLDER_RESOURCE)) {
                    if (in != null) {
                        return in.readAllBytes();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the picture " + picture, e);
        }
        throw new IllegalArgumentException("no picture file " + picture + (dir == null ? "" : " under " + dir));
    }

    private Optional<Path> file(String picture) {
        if (dir == null || picture == null || picture.isBlank()) {
            return Optional.empty();
        }
        Path p = dir.resolve(picture).normalize();
        // A picture is named under the blueprint's directory; "../" out of it is not a picture of the blueprint.
        return p.startsWith(dir.normalize()) && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private static InputStream resource(String picture) {
        if (picture == null || picture.isBlank() || picture.contains("..")) {
            return null;
        }
        return PictureFiles.class.getResourceAsStream("/" + picture);
    }
}
