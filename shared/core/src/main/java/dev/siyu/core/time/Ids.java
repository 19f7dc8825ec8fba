package dev.siyu.core.time;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Ids that sort by creation time (millis, then randomness), so timeline keys stay ordered even
 * for events in the same millisecond. Instances are stateless apart from the random source.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final RandomGenerator random;

    /** Unpredictable ids, as production needs them (lease owner tokens must not collide across instances). */
    public Ids() {
        this(new SecureRandom());
    }

    /** Ids from the given source: a seeded one makes a simulated run repeat id for id. */
    public Ids(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * An id that sorts like {@link #next} but is the same every time for the same key and time: for items a
     * retried write must rewrite rather than add to.
     */
    public String derived(String prefix, Instant at, String key) {
        StringBuilder b = new StringBuilder(prefix.length() + 22).append(prefix);
        appendTime(b, at);
        long h = 1125899906842597L;
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET[(int) ((h >>> (i * 5)) & 31)]);
        }
        return b.toString();
    }

    private static void appendTime(StringBuilder b, Instant at) {
        long millis = at.toEpochMilli();
        for (int shift = 45; shift >= 0; shift -= 5) {
            b.append(ALPHABET[(int) ((millis >>> shift) & 31)]);
        }
    }

    public String next(String prefix, Instant at) {
        StringBuilder b = new StringBuilder(prefix.length() + 22).append(prefix);
        long millis = at.toEpochMilli();
        for (int shift = 45; shift >= 0; shift -= 5) {
            b.append(ALPHABET[(int) ((millis >>> shift) & 31)]);
        }
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET[random.nextInt(32)]);
        }
        return b.toString();
    }
}
