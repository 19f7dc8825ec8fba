package dev.siyu.core.miniapp;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of a subscription message's keywords ("thing1", "time2", ...) and what WeChat accepts as each one's
 * value: a value outside its kind's rule is refused with 47003 "argument invalid! data.&lt;key&gt;.value invalid"
 * (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html,
 * "其他说明", the table of 参数类别). The blueprint's reader, the sender and the local stub all use this table.
 */
public enum SubscriptionKeyword {
    /** 20 characters or fewer, anything. */
    THING("[\\s\\S]{1,20}"),
    /** Up to 32 digits, a decimal point allowed. */
    NUMBER("(?=.{1,32}$)[0-9]+(\\.[0-9]+)?"),
    /** Up to 32 letters. */
    LETTER("[A-Za-z]{1,32}"),
    /** Up to 5 symbols. */
    SYMBOL("[\\p{Punct}\\p{S}&&[^A-Za-z0-9]]{1,5}"),
    /** Up to 32 digits, letters or symbols. */
    CHARACTER_STRING("[\\x21-\\x7E]{1,32}"),
    /** A 24-hour time, a date before it allowed, or two joined by "~". */
    TIME("(" + Patterns.DATE + "\\s*)?" + Patterns.CLOCK + "(\\s*~\\s*(" + Patterns.DATE + "\\s*)?" + Patterns.CLOCK
            + ")?"),
    /** A date, a 24-hour time after it allowed, or two joined by "~". */
    DATE(Patterns.DATE + "(\\s*" + Patterns.CLOCK + ")?(\\s*~\\s*" + Patterns.DATE + "(\\s*" + Patterns.CLOCK
            + ")?)?"),
    /** One currency symbol and at most 10 digits, decimals allowed, "元" at the end allowed. */
    AMOUNT("[¥￥$€£]?[0-9]{1,10}(\\.[0-9]{1,2})?元?"),
    /** Up to 17 digits and symbols. */
    PHONE_NUMBER("[0-9+\\-() ]{1,17}"),
    /** Up to 8: letters and digits, the first and the last may be Chinese characters. */
    CAR_NUMBER("(?=.{1,8}$)[\\p{IsHan}A-Z0-9][A-Z0-9]*[\\p{IsHan}A-Z0-9]?"),
    /** Up to 10 Chinese characters (a mix with letters counts as Chinese), or up to 20 letters or symbols. */
    NAME("([\\p{IsHan}A-Za-z·.\\- ]{1,10})|([A-Za-z·.\\- ]{1,20})"),
    /** Up to 5 Chinese characters only. */
    PHRASE("\\p{IsHan}{1,5}"),
    /** One of the template's listed values: only WeChat knows them; any non-blank value passes here. */
    ENUM("[\\s\\S]+");

    private static final Pattern KEY = Pattern.compile("(thing|number|letter|symbol|character_string|time|date"
            + "|amount|phone_number|car_number|name|phrase|enum)([0-9]{1,2})");

    private final Pattern rule;

    SubscriptionKeyword(String rule) {
        this.rule = Pattern.compile(rule);
    }

    /** The kind a keyword names ("thing1": THING), empty when it names none. */
    public static Optional<SubscriptionKeyword> of(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() ? Optional.of(valueOf(m.group(1).toUpperCase(Locale.ROOT))) : Optional.empty();
    }

    /** True when WeChat takes the value for a keyword of this kind. */
    public boolean accepts(String value) {
        return value != null && !value.isBlank() && rule.matcher(value).matches();
    }

    /**
     * The value made to fit, where that keeps its meaning: a thing cut to 19 characters and "…", a name with what a
     * name may not hold dropped and cut to its length; other kinds unchanged (the caller checks them).
     */
    public String fit(String value) {
        return switch (this) {
            case THING -> value.codePointCount(0, value.length()) > 20
                    ? value.substring(0, value.offsetByCodePoints(0, 19)) + "…" : value;
            case NAME -> {
                String kept = value.replaceAll("[^\\p{IsHan}A-Za-z·.\\- ]", "").strip();
                int max = kept.codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                        == Character.UnicodeScript.HAN) ? 10 : 20;
                yield kept.codePointCount(0, kept.length()) > max
                        ? kept.substring(0, kept.offsetByCodePoints(0, max)).strip() : kept;
            }
            default -> value;
        };
    }

    private static final class Patterns {
        static final String DATE = "[0-9]{4}(年|-|/)[0-9]{1,2}(月|-|/)[0-9]{1,2}日?";
        static final String CLOCK = "([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?";
    }
}
