package dev.siyu.analytics.scoring;

/**
 * Everything scoring writes to a profile.
 *
 * @param churn              P(churn): the booster's, or the BG/NBD fallback's P(no purchase in the label window)
 * @param probabilityAlive   BG/NBD P(alive) (1 without a fit)
 * @param expectedPurchases  BG/NBD expected purchase days in the next 12 months
 * @param clv                12-month CLV in yuan (expected spend per purchase x discounted expected purchases)
 * @param ltvTier            top / high / medium / low by the CLV cut points of the last batch
 * @param persona            the persona of the customer's cluster ("" when not clustered)
 * @param model              where the churn score came from: {@code xgboost} or {@code bgnbd}
 */
public record CustomerScores(String customerId, double churn, double probabilityAlive, double expectedPurchases,
                             double clv, String ltvTier, String persona, Propensities propensities, String model) {
}
