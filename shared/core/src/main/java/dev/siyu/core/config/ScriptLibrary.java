package dev.siyu.core.config;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The blueprint's {@code scripts:}: what staff may say in a chat, by scenario (a price objection, a late
 * parcel, a first greeting), which the sidebar lets them find and send as their own message.
 */
public record ScriptLibrary(List<Script> scripts) {
    public static final ScriptLibrary EMPTY = new ScriptLibrary(List.of());

    public ScriptLibrary {
        scripts = List.copyOf(scripts);
    }

    /** @param scenario a snake_case word staff filter by */
    public record Script(String scenario, String title, String text) { }

    /** Every scenario, sorted. */
    public List<String> scenarios() {
        return List.copyOf(new TreeSet<>(scripts.stream().map(Script::scenario).toList()));
    }

    /**
     * The scripts of scenario (null or blank: any) whose scenario, title or text contains every word of query
     * (case-insensitive; null or blank: all), in blueprint order.
     */
    public List<Script> search(String scenario, String query) {
        List<String> words = query == null || query.isBlank() ? List.of()
                : List.of(query.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        return scripts.stream()
                .filter(s -> scenario == null || scenario.isBlank() || s.scenario().equals(scenario))
                .filter(s -> {
                    String haystack = (s.scenario().replace('_', ' ') + " " + s.title() + " " + s.text())
                            .toLowerCase(Locale.ROOT);
                    return words.stream().allMatch(haystack::contains);
                })
                .toList();
    }
}
