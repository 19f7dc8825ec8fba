package dev.siyu.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever a module's tests run (Maven runs them in the module directory). */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isRegularFile(p.resolve("config/local.env"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (template.yaml and config/local.env) above " + dir);
    }
}
