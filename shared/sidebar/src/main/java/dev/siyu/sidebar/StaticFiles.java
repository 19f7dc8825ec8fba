package dev.siyu.sidebar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The page's files (HTML, JS, CSS), read once from the class path: no build step, no CDN of our own. */
final class StaticFiles {
    record File(String contentType, byte[] bytes) { }

    private static final Map<String, String> NAMES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final Map<String, File> files = new LinkedHashMap<>();

    StaticFiles() {
        NAMES.forEach((name, type) -> files.put(name, new File(type, read("sidebar/" + name))));
    }

    Optional<File> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
