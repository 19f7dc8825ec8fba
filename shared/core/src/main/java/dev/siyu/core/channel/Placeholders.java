package dev.siyu.core.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {name} placeholders of welcome messages, auto-tags and pool names. Names are given without
 * braces: find("Hi {staff_name}") is ["staff_name"].
 */
public final class Placeholders {
    public static final String STAFF_NAME = "staff_name";
    public static final String STORE_NAME = "store_name";
    public static final String CITY = "city";

    /** Every placeholder the suite can fill when a customer is added. */
    public static final Set<String> KNOWN = Set.of(STAFF_NAME, STORE_NAME, CITY);

    /** Filled only by location_based codes: other codes do not know which store the customer came from. */
    public static final Set<String> STORE_ONLY = Set.of(STORE_NAME, CITY);

    // Anything between braces without whitespace counts, so "{staff-name}" is caught as a typo instead of
    // reaching a customer verbatim; "{ }" and "{}" stay plain text.
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}\\s]+)}");

    private Placeholders() {
    }

    /** The placeholder names in template, each once, in order of first use. */
    public static List<String> find(String template) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!names.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return List.copyOf(names);
    }

    /**
     * Fills every placeholder in one pass (a value that itself contains "{city}" stays as written).
     *
     * @throws IllegalArgumentException naming the first placeholder without a value: a half-filled
     *                                  welcome message must never reach a customer
     */
    public static String render(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for placeholder {" + name + "} in \"" + template
                        + "\" (given: " + values.keySet().stream().sorted().toList() + ")");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
