package dev.siyu.analytics.ltv;

/** One customer's predictions: P(alive), expected purchases in the horizon, expected spend per purchase, CLV and tier. */
public record CustomerValue(String customerId, double probabilityAlive, double expectedPurchases, double expectedSpend,
                            double clv, LtvTier tier) {
}
