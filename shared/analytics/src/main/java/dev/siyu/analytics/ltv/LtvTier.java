package dev.siyu.analytics.ltv;

/**
 * A customer's value band by predicted CLV rank in the fitted cohort: top = the best 10%, high = the next
 * 20%, medium = the next 30%, low = the remaining 40% (customers with no predicted value are low).
 */
public enum LtvTier {
    TOP, HIGH, MEDIUM, LOW;

    static LtvTier ofRank(int rank, int customers) {
        double share = (rank + 0.5) / customers;
        return share < 0.10 ? TOP : share < 0.30 ? HIGH : share < 0.60 ? MEDIUM : LOW;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
