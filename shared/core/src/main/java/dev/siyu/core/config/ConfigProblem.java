package dev.siyu.core.config;

/**
 * One mistake in an operator config. line and column are 1-based, as editors count them, so the
 * toString form ({@code scrm.example.yaml:42:7: scrm_config.channel_codes[1].staff_pool[0]: ...})
 * is clickable in an IDE or terminal.
 *
 * @param path dotted path of the offending field, e.g. {@code staff[2].daily_add_limit}; empty
 *             when the problem concerns the whole file
 */
public record ConfigProblem(String source, String path, int line, int column, String message) {

    @Override
    public String toString() {
        String location = source + ":" + line + ":" + column + ": ";
        return path.isEmpty() ? location + message : location + path + ": " + message;
    }
}
