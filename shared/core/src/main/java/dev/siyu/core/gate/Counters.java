package dev.siyu.core.gate;

/**
 * What the customer already received in the current periods, read by the caller from the CAP#
 * counters keyed with {@link CapPeriod#key} in the tenant's time zone.
 *
 * @param massMessagesThisMonth customer mass messages (every add_msg_template task that reached the customer,
 *                              see {@link Channel#sentAsMessageTemplate}) this calendar month
 * @param massMessagesThisWeek  the same this ISO week (for WeCom's 7-a-week rule)
 * @param massMessagesToday     the same today (for WeCom's 1-a-day rule)
 */
public record Counters(int massMessagesThisMonth, int journeyMessagesThisWeek, int momentsPostsToday,
                       int massMessagesThisWeek, int massMessagesToday) {
    public static final Counters NONE = new Counters(0, 0, 0, 0, 0);

    public Counters {
        if (massMessagesThisMonth < 0 || journeyMessagesThisWeek < 0 || momentsPostsToday < 0
                || massMessagesThisWeek < 0 || massMessagesToday < 0) {
            throw new IllegalArgumentException("counters cannot be negative: " + massMessagesThisMonth + ", "
                    + journeyMessagesThisWeek + ", " + momentsPostsToday + ", " + massMessagesThisWeek + ", "
                    + massMessagesToday);
        }
    }

    /** Counts where the week's and the day's mass messages do not matter (none known). */
    public Counters(int massMessagesThisMonth, int journeyMessagesThisWeek, int momentsPostsToday) {
        this(massMessagesThisMonth, journeyMessagesThisWeek, momentsPostsToday, 0, 0);
    }
}
