package dev.siyu.core.miniapp;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The member code shown at the till: {@code mc1.<customer>.<minute>.<mac>}, the mac HMAC-SHA256 (truncated to 128
 * bits) of tenant, customer and the minute under a key derived from the tenant's token key. It rotates every
 * 60 s, so a photo of it is useless a minute later; a scanner accepts this minute's and the previous one's (a
 * code shown at 59 s is scanned at 61 s). Its QR PNG is drawn here from ZXing's matrix (a 1-bit grayscale PNG,
 * zlib from java.util.zip), so the function's runtime needs no java.desktop.
 */
public final class MemberCodes {
    public static final long PERIOD_SECONDS = 60;
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;

    public MemberCodes(byte[] tokenKey) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(tokenKey.clone(), "HmacSHA256"));
            this.key = new SecretKeySpec(m.doFinal("siyu member code v1".getBytes(StandardCharsets.UTF_8)),
                    "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    public record Code(String code, Instant expiresAt) { }

    public Code current(String tenant, String customerId, Instant now) {
        long minute = Math.floorDiv(now.getEpochSecond(), PERIOD_SECONDS);
        return new Code(code(tenant, customerId, minute), Instant.ofEpochSecond((minute + 1) * PERIOD_SECONDS));
    }

    /** A code scanned in time: the customer it names and the minute it was shown in (together they name it). */
    public record Scanned(String customerId, long minute) { }

    /** The customer a code shown now (this minute or the last) names; empty for anything else. */
    public Optional<String> verify(String tenant, String code, Instant now) {
        return scan(tenant, code, now).map(Scanned::customerId);
    }

    /** The customer and minute of a code shown now (this minute or the last); empty for anything else. */
    public Optional<Scanned> scan(String tenant, String code, Instant now) {
        String[] p = code == null || code.length() > 200 ? new String[0] : code.split("\\.", -1);
        if (p.length != 4 || !"mc1".equals(p[0])) {
            return Optional.empty();
        }
        long minute = Math.floorDiv(now.getEpochSecond(), PERIOD_SECONDS);
        for (long m : new long[] {minute, minute - 1}) {
            if (MessageDigest.isEqual(code(tenant, p[1], m).getBytes(StandardCharsets.UTF_8),
                    code.getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(new Scanned(p[1], m));
            }
        }
        return Optional.empty();
    }

    private String code(String tenant, String customerId, long minute) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            byte[] mac = m.doFinal((tenant + "\n" + customerId + "\n" + minute).getBytes(StandardCharsets.UTF_8));
            return "mc1." + customerId + "." + minute + "." + ENC.encodeToString(java.util.Arrays.copyOf(mac, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** The code as a QR PNG: medium error correction, 4-module quiet zone, scale pixels per module. */
    public static byte[] qrPng(String text, int scale) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("the member code does not fit a QR code", e);
        }
        int w = matrix.getWidth() * scale;
        int h = matrix.getHeight() * scale;
        int rowBytes = (w + 7) / 8;
        byte[] raw = new byte[h * (rowBytes + 1)];
        for (int y = 0; y < h; y++) {
            int row = y * (rowBytes + 1);
            for (int x = 0; x < w; x++) {
                // 1-bit grayscale: 0 is black, so a dark module leaves its bit clear.
                if (!matrix.get(x / scale, y / scale)) {
                    raw[row + 1 + x / 8] |= (byte) (0x80 >>> (x % 8));
                }
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            z.write(buf, 0, d.deflate(buf));
        }
        d.end();
        chunk(png, "IDAT", z.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
