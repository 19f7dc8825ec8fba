package dev.siyu.embedded;

import dev.siyu.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An operator blueprint read from disk, validated before any server starts so a typo fails fast. */
public record Blueprint(Path file, String yaml) {
    public static final String DEFAULT = "config/scrm.example.yaml";

    /** Throws {@link dev.siyu.core.config.ConfigException} listing every problem. */
    public static Blueprint read(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the blueprint " + file, e);
        }
        Blueprint b = new Blueprint(file, yaml);
        // a picture the blueprint names must be a file beside it (reported at its line)
        Path dir = file.toAbsolutePath().getParent();
        new ConfigLoader().load(yaml, b.sourceName(), picture -> Files.isRegularFile(dir.resolve(picture)));
        return b;
    }

    public String sourceName() {
        return file.getFileName().toString();
    }
}
