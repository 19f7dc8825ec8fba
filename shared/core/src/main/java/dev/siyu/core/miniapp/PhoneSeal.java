package dev.siyu.core.miniapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A member's phone number as stored: AES-256-GCM under a key derived from the tenant's member data secret, a
 * fresh 96-bit nonce per sealing, the customer id as associated data (a sealed number copied onto another member
 * does not open). The alias that finds the customer by phone is the keyed hash (IdentityKeys), not this.
 */
public final class PhoneSeal {
    private static final int NONCE_BYTES = 12;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public PhoneSeal(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the member data key needs at least 16 bytes, got " + secret.length);
        }
        try {
            // A key of its own, derived from the secret, so the same secret never keys two algorithms.
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret.clone(), "HmacSHA256"));
            this.key = new SecretKeySpec(m.doFinal("siyu phone seal v1".getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    public String seal(String customerId, String e164) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(customerId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(e164.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return "g1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JRE", e);
        }
    }

    public String open(String customerId, String sealed) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(3));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
            c.updateAAD(customerId.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored phone number does not open under this key", e);
        }
    }

    /** "+86 138****5678": enough for the member to recognise it, not enough to call it. */
    public static String masked(String e164) {
        if (e164.length() < 8) {
            return "****";
        }
        String digits = e164.substring(1);
        String cc = digits.startsWith("86") ? "86" : digits.substring(0, Math.min(2, digits.length() - 7));
        String national = digits.substring(cc.length());
        int keep = Math.min(3, Math.max(0, national.length() - 7));
        return "+" + cc + " " + national.substring(0, keep) + "****" + national.substring(national.length() - 4);
    }
}
