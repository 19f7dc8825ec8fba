package dev.siyu.core.config;

import dev.siyu.core.miniapp.SubscriptionKeyword;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code miniapp}: subscription_templates, each by name with template_id, page and fields. Each problem is
 * reported at its line; the rest is still checked.
 */
final class MiniappReader {
    static final List<String> KEYS = List.of("subscription_templates");
    static final List<String> TEMPLATE_KEYS = List.of("template_id", "page", "fields");
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** WeChat's template ids are 43 characters of these; a little room either way. */
    static final Pattern TEMPLATE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** WeChat allows at most 5 keywords in a subscription template. */
    static final int MAX_FIELDS = 5;

    private final ProblemLog log;

    MiniappReader(ProblemLog log) {
        this.log = log;
    }

    MiniappSettings read(YamlMap section) {
        section.allowOnly(KEYS);
        Map<String, MiniappSettings.SubscriptionTemplate> templates = section.map("subscription_templates", false)
                .map(this::templates).orElse(Map.of());
        return new MiniappSettings(templates);
    }

    private Map<String, MiniappSettings.SubscriptionTemplate> templates(YamlMap section) {
        Map<String, MiniappSettings.SubscriptionTemplate> out = new LinkedHashMap<>();
        Map<String, String> ids = new HashMap<>();
        for (String name : section.keys()) {
            if (!NAME.matcher(name).matches()) {
                log.add(section.keyAt(name), "subscription template name '" + name
                        + "' must be lowercase letters, digits and '_' (it is how journey steps name it)");
                continue;
            }
            Optional<YamlMap> t = section.map(name, true);
            if (t.isEmpty()) {
                continue;
            }
            YamlMap m = t.get();
            m.allowOnly(TEMPLATE_KEYS);
            Optional<String> id = m.string("template_id", true).filter(v -> {
                if (!TEMPLATE_ID.matcher(v).matches()) {
                    log.add(m.at("template_id"), "template_id '" + v + "' is not a WeChat template id (letters, "
                            + "digits, '-' and '_', as the Mini Program console shows it)");
                    return false;
                }
                String other = ids.putIfAbsent(v, name);
                if (other != null) {
                    log.add(m.at("template_id"), "template_id '" + v + "' is already template '" + other + "'");
                    return false;
                }
                return true;
            });
            String page = m.string("page", false).filter(p -> {
                if (p.startsWith("/") || p.length() > 128) {
                    log.add(m.at("page"), "page '" + p + "' must be a Mini Program path such as pages/index/index "
                            + "(no leading '/', at most 128 characters)");
                    return false;
                }
                return true;
            }).orElse(null);
            Optional<Map<String, String>> fields = m.map("fields", true).map(this::fields);
            if (id.isPresent() && fields.isPresent()) {
                out.put(name, new MiniappSettings.SubscriptionTemplate(name, id.get(), page, fields.get()));
            }
        }
        return out;
    }

    private Map<String, String> fields(YamlMap section) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> keys = section.keys();
        if (keys.isEmpty()) {
            log.add(section.where(), "fields must name at least one of the template's keywords, e.g. thing1");
        } else if (keys.size() > MAX_FIELDS) {
            log.add(section.where(), "fields has " + keys.size() + " keywords; a subscription template has at most "
                    + MAX_FIELDS);
        }
        for (String key : keys) {
            Optional<SubscriptionKeyword> kind = SubscriptionKeyword.of(key);
            if (kind.isEmpty()) {
                log.add(section.keyAt(key), "'" + key + "' is not a subscription keyword (thing1, time2, date3, "
                        + "number4, amount5, phrase6, ...)");
                continue;
            }
            section.string(key, true).ifPresent(v -> {
                fillable(kind.get(), v).ifPresent(problem -> log.add(section.keyAt(key), "'" + key + "': " + problem));
                out.put(key, v);
            });
        }
        return out;
    }

    /**
     * Why WeChat would refuse what the value fills a keyword of this kind with (sendMessage.html's table), empty when
     * it always fits: a thing takes anything (cut to 20 characters), a name {name} (made to fit), a date {date};
     * {text} fills only a thing, and a fixed value must already be what the kind takes.
     */
    private static Optional<String> fillable(SubscriptionKeyword kind, String v) {
        if (kind == SubscriptionKeyword.THING) {
            return Optional.empty();
        }
        if (kind == SubscriptionKeyword.NAME && v.equals("{name}")) {
            return Optional.empty();
        }
        if (v.contains("{text}") || v.contains("{name}")) {
            return Optional.of("{text} and {name} fill only a thing keyword ({name} also a name keyword alone); "
                    + "WeChat refuses a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " keyword's value "
                    + "that is not one");
        }
        String sample = v.replace("{date}", "2026-06-01");
        return kind.accepts(sample) ? Optional.empty() : Optional.of("'" + v + "' is not a "
                + kind.name().toLowerCase(java.util.Locale.ROOT) + " value WeChat takes (see the keyword rules of "
                + "subscribeMessage.send)");
    }
}
