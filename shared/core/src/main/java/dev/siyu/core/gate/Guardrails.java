package dev.siyu.core.gate;

import java.util.EnumSet;
import java.util.List;
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
 * @param platformLimit          the corp's WeCom rule for customer mass messages (days in the month, 7 a week or 1 a
 *                               day); the gate keeps under it so WeCom never refuses a task with 41048
 * @param massMessagePriority    every {@link MessagePriority}, most important first
 * @param massMessageReserve     how many of the month's last slots the first classes keep (see {@link #massSlotsFor})
 */
public record Guardrails(BusinessHours businessHours, int massMessagesPerMonth, int momentsPostsPerDay,
                         int journeyMessagesPerWeek, double promotionalShareMax, int contentMixWindow,
                         boolean sensitiveIndustry, PlatformMessageLimit platformLimit,
                         List<MessagePriority> massMessagePriority, int massMessageReserve) {
    public static final int MAX_MASS_MESSAGES_PER_MONTH = 4;
    public static final int MAX_MOMENTS_POSTS_PER_DAY = 1;
    public static final int MAX_JOURNEY_MESSAGES_PER_WEEK = 50;
    public static final double MAX_PROMOTIONAL_SHARE = 0.30;
    public static final int MAX_CONTENT_MIX_WINDOW = 100;

    /** transactional, human_confirmed, service, value, promotional. */
    public static final List<MessagePriority> DEFAULT_PRIORITY = List.of(MessagePriority.values());
    public static final int DEFAULT_RESERVE = 1;

    public static final Guardrails DEFAULTS = new Guardrails(BusinessHours.DEFAULT, MAX_MASS_MESSAGES_PER_MONTH,
            MAX_MOMENTS_POSTS_PER_DAY, 3, MAX_PROMOTIONAL_SHARE, 10, false);

    public Guardrails {
        Objects.requireNonNull(businessHours, "businessHours");
        Objects.requireNonNull(platformLimit, "platformLimit");
        massMessagePriority = List.copyOf(massMessagePriority);
        if (massMessagePriority.size() != MessagePriority.values().length
                || !EnumSet.copyOf(massMessagePriority).equals(EnumSet.allOf(MessagePriority.class))) {
            throw new IllegalArgumentException("massMessagePriority " + massMessagePriority + " must name each of "
                    + List.of(MessagePriority.values()) + " once");
        }
        check("massMessageReserve", massMessageReserve, 0, massMessagesPerMonth);
        check("massMessagesPerMonth", massMessagesPerMonth, 0, MAX_MASS_MESSAGES_PER_MONTH);
        check("momentsPostsPerDay", momentsPostsPerDay, 0, MAX_MOMENTS_POSTS_PER_DAY);
        check("journeyMessagesPerWeek", journeyMessagesPerWeek, 0, MAX_JOURNEY_MESSAGES_PER_WEEK);
        check("contentMixWindow", contentMixWindow, 1, MAX_CONTENT_MIX_WINDOW);
        if (!(promotionalShareMax >= 0 && promotionalShareMax <= MAX_PROMOTIONAL_SHARE)) {
            throw new IllegalArgumentException("promotionalShareMax " + promotionalShareMax + " is outside 0.."
                    + MAX_PROMOTIONAL_SHARE);
        }
    }

    /** The seed's limits with WeCom's default platform rule and the default priority order and reserve. */
    public Guardrails(BusinessHours businessHours, int massMessagesPerMonth, int momentsPostsPerDay,
                      int journeyMessagesPerWeek, double promotionalShareMax, int contentMixWindow,
                      boolean sensitiveIndustry) {
        this(businessHours, massMessagesPerMonth, momentsPostsPerDay, journeyMessagesPerWeek, promotionalShareMax,
                contentMixWindow, sensitiveIndustry, PlatformMessageLimit.DAYS_IN_MONTH, DEFAULT_PRIORITY,
                Math.min(DEFAULT_RESERVE, massMessagesPerMonth));
    }

    /**
     * The mass messages a customer may have received this month for one more of this priority to go out: the class
     * ranked i-th (0 first) in {@link #massMessagePriority} leaves the month's last min(i, reserve) slots to the
     * classes before it. With the defaults (4 a month, reserve 1) a transactional notice may take all 4, every
     * other class 3, so a promotion (or a run of value content) never takes the slot a transactional notice
     * needs; a reserve of 2 also keeps the third slot from the classes after human_confirmed.
     */
    public int massSlotsFor(MessagePriority priority) {
        int rank = massMessagePriority.indexOf(priority);
        return Math.max(0, massMessagesPerMonth - Math.min(rank, massMessageReserve));
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
                promotionalShareMax, contentMixWindow, sensitiveIndustry, platformLimit, massMessagePriority,
                massMessageReserve);
    }

    public Guardrails withSensitiveIndustry(boolean sensitive) {
        return new Guardrails(businessHours, massMessagesPerMonth, momentsPostsPerDay, journeyMessagesPerWeek,
                promotionalShareMax, contentMixWindow, sensitive, platformLimit, massMessagePriority,
                massMessageReserve);
    }

    public Guardrails withPlatformLimit(PlatformMessageLimit limit) {
        return new Guardrails(businessHours, massMessagesPerMonth, momentsPostsPerDay, journeyMessagesPerWeek,
                promotionalShareMax, contentMixWindow, sensitiveIndustry, limit, massMessagePriority,
                massMessageReserve);
    }

    public Guardrails withMassMessagePriority(List<MessagePriority> order, int reserve) {
        return new Guardrails(businessHours, massMessagesPerMonth, momentsPostsPerDay, journeyMessagesPerWeek,
                promotionalShareMax, contentMixWindow, sensitiveIndustry, platformLimit, order, reserve);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside " + min + ".." + max);
        }
    }
}
