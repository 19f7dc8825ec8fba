package dev.siyu.core.miniapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The suite's own member session: {@code v1.<payload>.<mac>}, base64url without padding, the payload naming the
 * tenant, the customer, the openid and the expiry, the mac HMAC-SHA256 of the payload under the tenant's token
 * key. A token is accepted only when it is character for character the one this key would issue for its payload
 * (so a changed padding bit that base64 would forgive is still refused), for this tenant, before its expiry.
 */
public final class SessionTokens {
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_CHARS = 1024;

    private final SecretKeySpec key;
    private final Duration lifetime;

    public SessionTokens(byte[] secret, Duration lifetime) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the session token key needs at least 32 bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
        this.lifetime = lifetime;
    }

    /** Who a token speaks for. */
    public record Claims(String tenant, String customerId, String openid, Instant expiresAt) { }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(String tenant, String customerId, String openid, Instant now) {
        Instant exp = now.plus(lifetime);
        String payload = ENC.encodeToString((tenant + "\n" + customerId + "\n" + openid + "\n" + exp.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return "v1." + payload + "." + ENC.encodeToString(mac(payload));
    }

    /** The claims of a token issued by this key for tenant and not yet expired at now; empty otherwise. */
    public Optional<Claims> verify(String token, String tenant, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_CHARS || !token.startsWith("v1.")) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        String expected = "v1." + parts[1] + "." + ENC.encodeToString(mac(parts[1]));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String[] f;
        try {
            f = new String(DEC.decode(parts[1]), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (f.length != 4 || !f[0].equals(tenant)) {
            return Optional.empty();
        }
        Instant exp;
        try {
            exp = Instant.ofEpochSecond(Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return now.isBefore(exp) ? Optional.of(new Claims(f[0], f[1], f[2], exp)) : Optional.empty();
    }

    private byte[] mac(String payload) {
        try {
            Mac m = Mac.getInstance(HMAC);
            m.init(key);
            return m.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
