package dev.siyu.analytics.ltv;

/** The time unit of recency, T and the fitted rates: weeks for the classic CDNOW fits, or days. */
public enum PeriodUnit {
    WEEK(7.0), DAY(1.0);

    private final double days;

    PeriodUnit(double days) {
        this.days = days;
    }

    public double fromDays(double d) {
        return d / days;
    }

    public double days() {
        return days;
    }

    public static PeriodUnit parse(String s) {
        return switch (s) {
            case "week", "weeks" -> WEEK;
            case "day", "days" -> DAY;
            default -> throw new IllegalArgumentException("--period must be week or day, got '" + s + "'");
        };
    }
}
