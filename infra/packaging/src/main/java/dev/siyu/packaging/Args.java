package dev.siyu.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code --name value} / {@code --flag} command lines of the harness's mains. */
public final class Args {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {
    }

    /** Parses {@code args}; {@code flags} take no value, every other option takes one. */
    public static Args parse(String[] args, Set<String> flags, Set<String> options) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && !flags.contains(a.substring(2, eq))) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else if (a.startsWith("--")) {
                name = a.substring(2);
                if (flags.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (!flags.contains(name) && !options.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parsed;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    public int getInt(String name, int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }

    /** Every value given for a repeatable option; comma-separated values are split. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** Every value of a repeatable option, whole (for values that may hold commas). */
    public List<String> raw(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** {@code --env K=V} pairs, after the {@code --env-file} ones (KEY=VALUE lines, # comments). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String file : raw("env-file")) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    putPair(env, line.trim());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read env file " + file, e);
            }
        }
        for (String pair : raw("env")) {
            putPair(env, pair);
        }
        return env;
    }

    private static void putPair(Map<String, String> env, String line) {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected NAME=VALUE, got '" + line + "'");
        }
        env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
    }

    /** JSON files in {@code dir} whose names start with {@code prefix}, by name. */
    public static List<Path> eventFiles(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event bodies; an empty JSON object when there are none. */
    public static List<byte[]> readEvents(List<Path> files) {
        List<byte[]> events = new ArrayList<>();
        for (Path f : files) {
            try {
                events.add(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read event " + f, e);
            }
        }
        if (events.isEmpty()) {
            events.add("{}".getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    /** JDK 25 for the AOT variants: {@code JAVA25_HOME}, else where this project's machines have it. */
    public static Path defaultJava25Home() {
        String env = System.getenv("JAVA25_HOME");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/lib/jvm/temurin-25-jdk-amd64");
    }
}
