package dev.siyu.core.staff;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A staff member's own session with the suite: after WeCom's OAuth named them ({@link StaffSignIn}), a short-lived
 * token, HMAC-SHA256 signed with the deployment's staff session key and bound to the tenant and the staff userid.
 * The sidebar's JSON routes and the Mini Program's staff routes (store check-in) require one, each its own: a
 * token names its audience ({@link #SIDEBAR}, {@link #CHECK_IN}) and each is signed with that audience's key
 * (SIYU_SIDEBAR_SESSION_KEY in the sidebar function only, SIYU_CHECKIN_SESSION_KEY in the Mini Program function),
 * so the public member function never holds the key that signs sidebar sessions, and a token of one is refused by
 * the other even under one key. A staff member signs in to each (WeCom's OAuth, {@link StaffSignIn}). Nothing is
 * stored (a token is valid until it expires, {@link #LIFETIME}). A member's Mini Program token is another format
 * under another key: never a staff session.
 * Format: base64url({@code v2|audience|tenant|staff|expiresEpochSecond}) "." base64url(hmac).
 */
public final class StaffSessions {
    /** Long enough for a working session beside one chat; after it the page is opened again (a new OAuth code). */
    public static final Duration LIFETIME = Duration.ofHours(2);
    /** A key shorter than this is refused: HMAC-SHA256's strength needs 32 random bytes. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String VERSION = "v2";
    /** The staff sidebar's sessions. */
    public static final String SIDEBAR = "sidebar";
    /** The Mini Program's staff routes (store check-in). */
    public static final String CHECK_IN = "checkin";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    private final Clock clock;
    private final String audience;

    /** The sidebar's sessions. @param key the secret session key (SIYU_SIDEBAR_SESSION_KEY), at least 32 bytes */
    public StaffSessions(byte[] key, Clock clock) {
        this(key, clock, SIDEBAR);
    }

    /** @param audience whose sessions these are ({@link #SIDEBAR}, {@link #CHECK_IN}): issued for and accepted from it only */
    public StaffSessions(byte[] key, Clock clock, String audience) {
        require(audience, "audience");
        this.audience = audience;
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the " + audience + " session key needs at least " + MIN_KEY_BYTES
                    + " bytes (openssl rand -base64 32)");
        }
        this.key = key.clone();
        this.clock = clock;
    }

    /** The sidebar's tokens under a key given as base64 (SIYU_SIDEBAR_SESSION_KEY: openssl rand -base64 32). */
    public static StaffSessions ofBase64(String key, Clock clock) {
        return ofBase64(key, clock, SIDEBAR);
    }

    /** An audience's tokens under a key given as base64 (openssl rand -base64 32). */
    public static StaffSessions ofBase64(String key, Clock clock, String audience) {
        try {
            return new StaffSessions(Base64.getDecoder().decode(key.trim()), clock, audience);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the staff session key must be base64 (openssl rand -base64 32)", e);
        }
    }

    /** Who a valid token names. */
    public record Session(String tenant, String staffUserId, Instant expiresAt) { }

    /** A new token for this staff member of this tenant. */
    public String issue(String tenant, String staffUserId) {
        require(tenant, "tenant");
        require(staffUserId, "staffUserId");
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        String payload = B64.encodeToString((VERSION + "|" + audience + "|" + tenant + "|" + staffUserId + "|" + expires)
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** The session a token names, if its signature is ours and it has not expired. */
    public Optional<Session> verify(String token) {
        if (token == null || token.length() > 1024) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        String payload = token.substring(0, dot);
        // The token is compared as the exact string we would have issued: decoding the signature first would
        // accept other spellings of the same bytes (base64url's last character carries unused bits).
        String expected = payload + "." + B64.encodeToString(mac(payload));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(B64D.decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] parts = text.split("\\|", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0]) || !audience.equals(parts[1])) {
            return Optional.empty();
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(parts[4]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Session(parts[2], parts[3], expires));
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank() || value.contains("|")) {
            throw new IllegalArgumentException(name + " must be non-blank and without '|'");
        }
    }
}
