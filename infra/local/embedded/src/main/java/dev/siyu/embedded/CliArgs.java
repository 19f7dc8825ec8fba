package dev.siyu.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subcommand's {@code --name value} / {@code --flag} options. Unknown options and bad values
 * are {@link UsageException}s, so a typo exits 2 instead of silently running with a default.
 */
public final class CliArgs {
    private final Map<String, String> values;

    private CliArgs(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static CliArgs parse(List<String> args, Set<String> flags, Set<String> options) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!flags.contains(name) && !options.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (value != null) {
                values.put(name, value);
                continue;
            } else if (flags.contains(name)) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            values.put(name, value);
        }
        return new CliArgs(values);
    }

    public boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    public URI uri(String name, String fallback) {
        String v = string(name, fallback);
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new UsageException("--" + name + " must be a URL like " + fallback + ", got '" + v + "'");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + " must be a URL like " + fallback + ", got '" + v + "'");
        }
    }

    /** A path option; relative paths resolve against the project root, as the script's users expect. */
    public Path path(String name, Path root, String fallback) {
        String v = values.get(name);
        if (v == null) {
            return root.resolve(fallback);
        }
        Path p = Path.of(v);
        return p.isAbsolute() || p.toFile().exists() ? p.toAbsolutePath() : root.resolve(p);
    }

    public static List<String> tail(String[] args, int from) {
        List<String> rest = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            rest.add(args[i]);
        }
        return rest;
    }
}
