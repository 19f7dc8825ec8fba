package dev.siyu.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for typos in keys, pools, tags and time zones. */
final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate within a typo's distance (case-insensitive), if any. */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String wanted = input.toLowerCase(Locale.ROOT);
        // a third of the length, capped: "live_teem" -> live_team, but "vip" is no typo of "sms"
        int allowed = Math.max(1, Math.min(3, (wanted.length() + 2) / 4));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(wanted, candidate.toLowerCase(Locale.ROOT));
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "unknown staff pool 'x' (known: a, b); did you mean 'a'?" with a quoting suited to the kind. */
    static String unknown(String what, String value, Collection<String> known) {
        String message = "unknown " + what + " '" + value + "' (known: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")";
        return closest(value, known).map(c -> message + "; did you mean '" + c + "'?").orElse(message);
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
