package dev.siyu.analytics.scoring;

/**
 * Four propensities in [0, 1], each from a stated model (docs/intelligence.md, Propensities):
 * <ul>
 *   <li>engagement = n / (n + 3), n = interactions in the last 30 days (replies, opens, Moments, group posts):
 *       a saturating count, 0.5 at three interactions a month;</li>
 *   <li>purchase intent = P(at least one purchase in the next 30 days) under the fitted BG/NBD model
 *       (1 - {@code BgNbd.probabilityNoPurchase}); without a fit (no purchases in the tenant yet), 0;</li>
 *   <li>discount sensitivity = (used + 1) / (used + ignored + 2): the posterior mean of the customer's coupon
 *       redemption rate under a uniform Beta(1, 1) prior (Laplace's rule), 0.5 for a customer never offered one;</li>
 *   <li>campaign propensity = 1 - (1 - engagement)(1 - purchase intent) x (1 - 0.5 discount sensitivity):
 *       the chance that at least one of the reasons to answer a campaign (engaged, about to buy anyway, drawn by
 *       an offer) holds, taking them as independent.</li>
 * </ul>
 */
public record Propensities(double engagement, double purchaseIntent, double discountSensitivity, double campaign) {
    public Propensities {
        check("engagement", engagement);
        check("purchase intent", purchaseIntent);
        check("discount sensitivity", discountSensitivity);
        check("campaign propensity", campaign);
    }

    public static Propensities of(ProfileFeatures f, double purchaseIntent) {
        double engagement = f.interactions30() / (f.interactions30() + 3.0);
        double discount = (f.couponsUsed() + 1.0) / (f.couponsUsed() + f.couponsIgnored() + 2.0);
        double intent = Math.min(1, Math.max(0, purchaseIntent));
        double campaign = 1 - (1 - engagement) * (1 - intent) * (1 - 0.5 * discount);
        return new Propensities(engagement, intent, discount, campaign);
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
        }
    }
}
