package dev.siyu.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step delay as operators write it: {@code 0min}, {@code 30min}, {@code 2h}, {@code 24h},
 * {@code 7d}, or relative to the customer's consumption cycle: {@code cycle}, {@code cycle-7d},
 * {@code cycle+2d}. Only minutes, hours and days: "m" could be minutes or months, and a week or a
 * month is written in days so the arithmetic of a flow is visible.
 *
 * @param offset    the delay, or the offset from the cycle (negative before it)
 * @param fromCycle the delay counts from the end of the consumption cycle
 */
record Delay(Duration offset, boolean fromCycle) {
    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,6})(min|h|d)");
    private static final Pattern CYCLE = Pattern.compile("cycle(?:([+-])(\\d{1,6}(?:min|h|d)))?");

    static final String FORMS = "a number with min, h or d, such as 0min, 30min, 2h, 24h or 7d";
    static final String CYCLE_FORMS = "cycle, cycle-7d or cycle+2d";

    /** A delay, cycle forms included; empty when the text is neither. */
    static Optional<Delay> parse(String text) {
        String t = text.trim();
        Matcher cycle = CYCLE.matcher(t);
        if (cycle.matches()) {
            if (cycle.group(1) == null) {
                return Optional.of(new Delay(Duration.ZERO, true));
            }
            Duration amount = amount(cycle.group(2)).orElseThrow();
            return Optional.of(new Delay(cycle.group(1).equals("-") ? amount.negated() : amount, true));
        }
        return amount(t).map(d -> new Delay(d, false));
    }

    /** A plain length such as 30min, 2h or 7d. */
    static Optional<Duration> amount(String text) {
        Matcher m = AMOUNT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "min":
                return Optional.of(Duration.ofMinutes(n));
            case "h":
                return Optional.of(Duration.ofHours(n));
            default:
                return Optional.of(Duration.ofDays(n));
        }
    }

    /** Why text is no delay, with the likely fix for the usual slips ("30m", "1w", "7 days"). */
    static String problem(String text, boolean cycleAllowed) {
        String forms = cycleAllowed ? FORMS + ", or " + CYCLE_FORMS : FORMS;
        String t = text.trim();
        if (t.matches("\\d+m")) {
            return "'" + text + "' is ambiguous; write minutes as " + t + "in (and months in days)";
        }
        if (t.matches("\\d+w")) {
            long weeks = Long.parseLong(t.substring(0, t.length() - 1));
            return "'" + text + "': write weeks in days, " + (weeks * 7) + "d";
        }
        if (t.matches("\\d+")) {
            return "'" + text + "' has no unit; write " + forms;
        }
        return "'" + text + "' is not a delay; write " + forms;
    }

    /** The shortest of min, h and d that states the length exactly: 30min, 2h, 7d. */
    static String format(Duration d) {
        String sign = d.isNegative() ? "-" : "";
        Duration abs = d.abs();
        if (!abs.isZero() && abs.toMinutes() % (24 * 60) == 0) {
            return sign + abs.toDays() + "d";
        }
        if (!abs.isZero() && abs.toMinutes() % 60 == 0) {
            return sign + abs.toHours() + "h";
        }
        return sign + abs.toMinutes() + "min";
    }
}
