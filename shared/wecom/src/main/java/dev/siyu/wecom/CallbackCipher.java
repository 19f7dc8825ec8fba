package dev.siyu.wecom;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom's callback envelope: SHA-1 signature over the sorted token, timestamp, nonce and
 * ciphertext; AES-256-CBC with IV = first 16 key bytes; plaintext = 16 random bytes, 4-byte
 * big-endian message length, message, receive id (the corp id), PKCS#7-padded to 32 bytes.
 *
 * <p>Written on javax.crypto rather than WxJava's WxCryptUtil because that one compares
 * signatures with String.equals, never checks the receive id (the check is commented out), does
 * not validate the padding or the length field, and reports every failure as the same
 * WxRuntimeException, so 401 and 400 could not be told apart.
 */
final class CallbackCipher {

    static final int PAD_BLOCK = 32;
    private static final int RANDOM_BYTES = 16;
    private static final int LENGTH_BYTES = 4;

    private final String token;
    private final SecretKeySpec key;
    private final IvParameterSpec iv;

    CallbackCipher(String token, String encodingAesKey) {
        this.token = token;
        byte[] raw = WeComSettings.aesKeyBytes(encodingAesKey);
        this.key = new SecretKeySpec(raw, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOfRange(raw, 0, 16));
    }

    String signature(String timestamp, String nonce, String encrypted) {
        String[] parts = {token, timestamp, nonce, encrypted};
        Arrays.sort(parts);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String p : parts) {
                sha1.update(p.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /** Constant-time, so the comparison leaks nothing about how much of a forged signature was right. */
    boolean signatureMatches(String given, String timestamp, String nonce, String encrypted) {
        byte[] expected = signature(timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    String encrypt(byte[] random16, String message, String receiveId) {
        if (random16.length != RANDOM_BYTES) {
            throw new IllegalArgumentException("the random prefix must be " + RANDOM_BYTES + " bytes");
        }
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] rid = receiveId.getBytes(StandardCharsets.UTF_8);
        int unpadded = RANDOM_BYTES + LENGTH_BYTES + msg.length + rid.length;
        int pad = PAD_BLOCK - unpadded % PAD_BLOCK;
        ByteBuffer buf = ByteBuffer.allocate(unpadded + pad);
        buf.put(random16).putInt(msg.length).put(msg).put(rid);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, iv);
            return Base64.getEncoder().encodeToString(cipher.doFinal(buf.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC/NoPadding is required of every JDK", e);
        }
    }

    /** Decrypts and unpacks; any inconsistency is a 400, since only a signed request gets here. */
    Opened open(String encrypted) {
        byte[] cipherText;
        try {
            cipherText = Base64.getDecoder().decode(encrypted.strip());
        } catch (IllegalArgumentException e) {
            throw CallbackRejected.badRequest("Encrypt is not valid Base64: " + e.getMessage());
        }
        if (cipherText.length == 0 || cipherText.length % PAD_BLOCK != 0) {
            throw CallbackRejected.badRequest("ciphertext is " + cipherText.length
                    + " bytes, not a positive multiple of " + PAD_BLOCK + ": truncated or tampered");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            plain = cipher.doFinal(cipherText);
        } catch (GeneralSecurityException e) {
            throw CallbackRejected.badRequest("AES decryption failed: " + e.getMessage(), e);
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > PAD_BLOCK) {
            throw CallbackRejected.badRequest("bad PKCS#7 padding (pad byte " + pad
                    + "): wrong EncodingAESKey or tampered ciphertext");
        }
        for (int i = plain.length - pad; i < plain.length; i++) {
            if ((plain[i] & 0xff) != pad) {
                throw CallbackRejected.badRequest("bad PKCS#7 padding: wrong EncodingAESKey or tampered ciphertext");
            }
        }
        int contentEnd = plain.length - pad;
        if (contentEnd < RANDOM_BYTES + LENGTH_BYTES) {
            throw CallbackRejected.badRequest("decrypted payload too short for WeCom's envelope");
        }
        int msgLength = ByteBuffer.wrap(plain, RANDOM_BYTES, LENGTH_BYTES).getInt();
        int msgStart = RANDOM_BYTES + LENGTH_BYTES;
        if (msgLength < 0 || msgLength > contentEnd - msgStart) {
            throw CallbackRejected.badRequest("message length field " + msgLength
                    + " does not fit the decrypted payload: tampered ciphertext");
        }
        String message = strictUtf8(plain, msgStart, msgLength, "message");
        String receiveId = strictUtf8(plain, msgStart + msgLength, contentEnd - msgStart - msgLength, "receive id");
        return new Opened(message, receiveId);
    }

    private static String strictUtf8(byte[] bytes, int offset, int length, String what) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw CallbackRejected.badRequest("decrypted " + what + " is not UTF-8: tampered ciphertext");
        }
    }

    /** @param receiveId the corp id (or suite id) WeCom encrypted for */
    record Opened(String message, String receiveId) { }
}
