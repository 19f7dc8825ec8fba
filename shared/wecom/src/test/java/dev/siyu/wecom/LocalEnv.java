package dev.siyu.wecom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** config/local.env, the one place the local corp id, token and key are written down. */
final class LocalEnv {

    private LocalEnv() {
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/local.env"))) {
                return p;
            }
        }
        throw new IllegalStateException("config/local.env not found above " + Path.of("").toAbsolutePath());
    }

    static Map<String, String> values() {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(repoRoot().resolve("config/local.env"))) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                    continue;
                }
                env.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    static WeComSettings settings() {
        return WeComSettings.fromEnv(values());
    }
}
