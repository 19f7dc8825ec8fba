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

    /**
     * Edits between a and b, a swap of two neighbouring letters counting as one edit ("lable" is one
     * typo away from "label", as people make them), i.e. the optimal string alignment distance.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
