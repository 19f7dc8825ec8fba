package dev.siyu.sim.journey;

import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * config/scrm.example.yaml, read once per test JVM with the real CEL compiler, and edited variants of
 * its text (another lifecycle_automation section, a changed step) parsed by the same loader.
 */
final class ExampleConfig {
    /** Tests run in the module directory, infra/local/sim. */
    static final Path FILE = Path.of("../../../config/scrm.example.yaml");
    static final CelConditionCompiler CEL = new CelConditionCompiler();
    static final ConfigLoader LOADER = new ConfigLoader(CEL);
    static final String TEXT = read();
    static final ScrmConfig CONFIG = LOADER.load(TEXT, FILE.getFileName().toString());

    private static final Pattern SECTION = Pattern.compile("(?ms)^lifecycle_automation:\\n.*?(?=^[a-z_]+:)");

    private ExampleConfig() {
    }

    private static String read() {
        try {
            return Files.readString(FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
        }
    }

    /** The example with its whole lifecycle_automation section replaced by section (which starts with the key). */
    static String withJourneys(String section) {
        Matcher m = SECTION.matcher(TEXT);
        if (!m.find()) {
            throw new IllegalStateException("no lifecycle_automation section in " + FILE);
        }
        String replacement = section.endsWith("\n") ? section + "\n" : section + "\n\n";
        return TEXT.substring(0, m.start()) + replacement + TEXT.substring(m.end());
    }

    /** The example with one exact piece of text replaced; fails when it is not there exactly once. */
    static String replacing(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException("expected exactly one '" + from + "' in the example config");
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    static ScrmConfig load(String yaml, String name) {
        return LOADER.load(yaml, name);
    }
}
