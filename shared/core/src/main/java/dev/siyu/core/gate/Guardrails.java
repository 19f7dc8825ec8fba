package dev.siyu.core.gate;

import java.util.Objects;

/**
 * One tenant's outreach limits (config section {@code guardrails:}). The defaults are the seed's
 * rules; the upper bounds are the seed's Critical Rules too, so a tenant may be stricter but never looser.
 *
 * @param businessHours          when proactive touches may go out, in the customer's zone
 * @param massMessagesPerMonth   mass messages one customer may receive per calendar month
 * @param momentsPostsPerDay     Moments posts per day
 * @param journeyMessagesPerWeek automated journey messages one customer may receive per ISO week
 * @param promotionalShareMax    most promotional share of a customer's or group's latest touches
 * @param contentMixWindow       how many latest touches the share is measured over
 * @param sensitiveIndustry      finance, healthcare, education...: all customer-facing content needs approval
 */
public record Guardrails(BusinessHours businessHours, int massMessagesPerMonth, int momentsPostsPerDay,
                         int journeyMessagesPerWeek, double promotionalShareMax, int contentMixWindow,
                         boolean sensitiveIndustry) {
    public static final int MAX_MASS_MESSAGES_PER_MONTH = 4;
    public static final int MAX_MOMENTS_POSTS_PER_DAY = 1;
    public static final int MAX_JOURNEY_MESSAGES_PER_WEEK = 50;
    public static final double MAX_PROMOTIONAL_SHARE = 0.30;
    public static final int MAX_CONTENT_MIX_WINDOW = 100;

    public static final Guardrails DEFAULTS = new Guardrails(BusinessHours.DEFAULT, MAX_MASS_MESSAGES_PER_MONTH,
            MAX_MOMENTS_POSTS_PER_DAY, 3, MAX_PROMOTIONAL_SHARE, 10, false);

    public Guardrails {
        Objects.requireNonNull(businessHours, "businessHours");
        check("massMessagesPerMonth", massMessagesPerMonth, 0, MAX_MASS_MESSAGES_PER_MONTH);
        check("momentsPostsPerDay", momentsPostsPerDay, 0, MAX_MOMENTS_POSTS_PER_DAY);
        check("journeyMessagesPerWeek", journeyMessagesPerWeek, 0, MAX_JOURNEY_MESSAGES_PER_WEEK);
        check("contentMixWindow", contentMixWindow, 1, MAX_CONTENT_MIX_WINDOW);
        if (!(promotionalShareMax >= 0 && promotionalShareMax <= MAX_PROMOTIONAL_SHARE)) {
            throw new IllegalArgumentException("promotionalShareMax " + promotionalShareMax + " is outside 0.."
                    + MAX_PROMOTIONAL_SHARE);
        }
    }

    /**
     * Promotional touches allowed among the window. Measured against the full window even while a
     * customer's history is shorter, so a new customer can get the first few promotions, but never more
     * than this many in any window. The epsilon keeps 0.3 * 10 at 3, not 2.9999.
     */
    public int promotionalPerWindow() {
        return (int) Math.floor(promotionalShareMax * contentMixWindow + 1e-9);
    }

    public Guardrails withBusinessHours(BusinessHours hours) {
        return new Guardrails(hours, massMessagesPerMonth, momentsPostsPerDay, journeyMessagesPerWeek,
                promotionalShareMax, contentMixWindow, sensitiveIndustry);
    }

    public Guardrails withSensitiveIndustry(boolean sensitive) {
        return new Guardrails(businessHours, massMessagesPerMonth, momentsPostsPerDay, journeyMessagesPerWeek,
                promotionalShareMax, contentMixWindow, sensitive);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside " + min + ".." + max);
        }
    }
}
