package dev.siyu.core.member;

import java.util.Optional;
import java.util.regex.Pattern;

/** Phone numbers in E.164 (+ and 8 to 15 digits): how they are compared, hashed and blocklisted. */
public final class PhoneNumbers {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().]");
    private static final Pattern DIGITS = Pattern.compile("\\d{8,15}");
    /** A mainland China mobile number written without its country code. */
    private static final Pattern CN_MOBILE = Pattern.compile("1[3-9]\\d{9}");

    private PhoneNumbers() {
    }

    /** The number in E.164, or empty when it is none: +86 is assumed for an 11-digit mainland mobile number. */
    public static Optional<String> e164(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = SEPARATORS.matcher(text.trim()).replaceAll("");
        if (s.startsWith("+")) {
            s = s.substring(1);
        } else if (s.startsWith("00")) {
            s = s.substring(2);
        } else if (CN_MOBILE.matcher(s).matches()) {
            s = "86" + s;
        } else {
            return Optional.empty();
        }
        return DIGITS.matcher(s).matches() && s.charAt(0) != '0' ? Optional.of("+" + s) : Optional.empty();
    }
}
