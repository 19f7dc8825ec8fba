package dev.siyu.core.member;

import dev.siyu.core.profile.IdentityType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The value an identity is stored and looked up under. A phone number is never stored: its alias item, its
 * profile entry and every log line carry HMAC-SHA256 of its E.164 form under the tenant's identity key, so a
 * copy of the table (or a log) does not reveal it and the same number always finds the same customer. An email
 * is compared in lower case; the other identities are opaque ids, kept as given.
 */
public final class IdentityKeys {
    private static final String HMAC = "HmacSHA256";
    private final SecretKeySpec key;

    public IdentityKeys(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the identity hash key needs at least 16 bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    /** The identity as stored, or empty when the value is not valid for its type (a phone that is no number). */
    public Optional<Identity> of(IdentityType type, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return switch (type) {
            case PHONE -> PhoneNumbers.e164(raw).map(e -> new Identity(type, phoneKey(e), e));
            case EMAIL -> Optional.of(new Identity(type, raw.trim().toLowerCase(Locale.ROOT),
                    raw.trim().toLowerCase(Locale.ROOT)));
            default -> Optional.of(new Identity(type, raw.trim(), raw.trim()));
        };
    }

    /** The index value of a phone number given in E.164. */
    public String phoneKey(String e164) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return "h" + HexFormat.of().formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
