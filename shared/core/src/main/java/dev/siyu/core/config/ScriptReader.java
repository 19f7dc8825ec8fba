package dev.siyu.core.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code scripts:}, a list of {@code {scenario, title, text}}. A scenario is a snake_case word; titles are
 * unique (staff pick a script by it); a text fits one WeCom text message.
 */
final class ScriptReader {
    static final List<String> KEYS = List.of("scenario", "title", "text");
    private static final Pattern SCENARIO = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    /** A chat text message's content: at most 4000 bytes, as WeCom's message pages give it (document/path/92135). */
    static final int MAX_TEXT_BYTES = 4000;
    static final int MAX_TITLE_CHARS = 60;

    private final ProblemLog log;

    ScriptReader(ProblemLog log) {
        this.log = log;
    }

    ScriptLibrary read(List<YamlMap> items) {
        UniqueNames titles = new UniqueNames(log, "script title");
        List<ScriptLibrary.Script> out = new ArrayList<>();
        for (YamlMap item : items) {
            item.allowOnly(KEYS);
            var scenario = item.string("scenario", true);
            var title = item.string("title", true);
            var text = item.string("text", true);
            scenario.filter(s -> !SCENARIO.matcher(s).matches()).ifPresent(s -> log.add(item.at("scenario"),
                    "scenario '" + s + "' must be a snake_case word (a-z, 0-9, _; at most 40 characters), e.g. price_objection"));
            title.ifPresent(t -> titles.add(t, item.at("title")));
            title.filter(t -> t.length() > MAX_TITLE_CHARS).ifPresent(t -> log.add(item.at("title"),
                    "title is " + t.length() + " characters; at most " + MAX_TITLE_CHARS));
            text.filter(t -> t.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES).ifPresent(t ->
                    log.add(item.at("text"), "text is " + t.getBytes(StandardCharsets.UTF_8).length
                            + " bytes; a WeCom text message holds at most " + MAX_TEXT_BYTES));
            if (scenario.isPresent() && title.isPresent() && text.isPresent()) {
                out.add(new ScriptLibrary.Script(scenario.get(), title.get(), text.get().strip()));
            }
        }
        return new ScriptLibrary(out);
    }
}
