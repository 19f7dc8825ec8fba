package dev.siyu.analytics.ltv;

/**
 * One customer's calibration summary as BG/NBD and Gamma-Gamma define it: {@code frequency} = repeat
 * purchase days (same-day purchases merged), {@code recency} = last minus first purchase, {@code age}
 * (the papers' T) = calibration end minus first purchase, both in the fit's unit; {@code monetary} = the
 * mean of the repeat days' totals (the first purchase excluded; 0 without repeats); {@code holdout} = purchase
 * days after the calibration end up to the holdout end (0 without a holdout).
 */
public record CustomerSummary(String customerId, int frequency, double recency, double age, double monetary, int holdout) {
    public CustomerSummary {
        if (frequency < 0 || recency < 0 || age < recency) {
            throw new IllegalArgumentException("summary of " + customerId + " needs 0 <= recency <= T and frequency >= 0");
        }
    }
}
