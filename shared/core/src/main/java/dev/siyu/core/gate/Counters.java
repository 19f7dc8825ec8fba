package dev.siyu.core.gate;

/**
 * What the customer already received in the current periods, read by the caller from the CAP#
 * counters keyed with {@link CapPeriod#key} in the tenant's time zone.
 */
public record Counters(int massMessagesThisMonth, int journeyMessagesThisWeek, int momentsPostsToday) {
    public static final Counters NONE = new Counters(0, 0, 0);

    public Counters {
        if (massMessagesThisMonth < 0 || journeyMessagesThisWeek < 0 || momentsPostsToday < 0) {
            throw new IllegalArgumentException("counters cannot be negative: " + massMessagesThisMonth + ", "
                    + journeyMessagesThisWeek + ", " + momentsPostsToday);
        }
    }
}
