package dev.siyu.core.profile;

import java.time.Instant;

/**
 * What the nightly scoring (and on-demand scoring) wrote besides the churn score, which stays in
 * {@link Activity#churnScore()} where conditions and the churn journey read it.
 *
 * @param probabilityAlive   BG/NBD P(alive)
 * @param expectedPurchases  expected purchase days in the next 12 months
 * @param clv                12-month customer lifetime value in yuan
 * @param ltvTier            top, high, medium or low
 * @param persona            the behaviour persona's name ("" when not clustered)
 * @param model              where the churn score came from: xgboost, bgnbd or none
 */
public record ProfileScores(double probabilityAlive, double expectedPurchases, double clv, String ltvTier,
                            String persona, double engagement, double purchaseIntent, double discountSensitivity,
                            double campaignPropensity, String model, Instant scoredAt) {
}
