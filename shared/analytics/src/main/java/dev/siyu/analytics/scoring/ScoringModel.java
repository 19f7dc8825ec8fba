package dev.siyu.analytics.scoring;

import dev.siyu.analytics.ltv.BgNbd;
import dev.siyu.analytics.ltv.GammaGamma;
import dev.siyu.analytics.ltv.PeriodUnit;

/**
 * What training leaves for scoring: the churn source, the BG/NBD and Gamma-Gamma fits (weeks; null when the
 * tenant has too few purchases to fit), the CLV cut points of the tiers as of the last batch (top, high,
 * medium: the 90th, 70th and 40th percentiles), and the features the blueprint turned off.
 */
public record ScoringModel(ChurnSource churn, BgNbd purchases, GammaGamma spend, double[] tierCuts,
                           FeatureToggles toggles, int labelWindowDays) {
    public static final int CLV_MONTHS = 12;
    public static final double MONTHLY_DISCOUNT = 0.01;
    private static final double MONTH_WEEKS = PeriodUnit.WEEK.fromDays(365.25 / 12);

    public ScoringModel withTierCuts(double[] cuts) {
        return new ScoringModel(churn, purchases, spend, cuts, toggles, labelWindowDays);
    }

    /** P(at least one purchase in the next 30 days), expected purchases and discounted CLV over 12 months. */
    double[] value(ProfileFeatures f) {
        if (purchases == null) {
            return new double[] {1, 0, 0, 0};
        }
        if (!f.purchased()) {
            // BG/NBD describes customers from their first purchase: a contact who never bought has no predicted
            // value (tier low), only the population's chance of a first purchase in the next 30 days.
            return new double[] {1, 0, 0, 1 - purchases.probabilityNoPurchase(30 / 7.0, 0, 0, 0)};
        }
        int x = f.repeatPurchases();
        double tx = f.firstToLastWeeks();
        double t = f.firstToCutoffWeeks();
        double alive = purchases.probabilityAlive(x, tx, t);
        double intent = 1 - purchases.probabilityNoPurchase(30 / 7.0, x, tx, t);
        double perPurchase = spend == null ? f.monetary() : spend.conditionalExpectedValue(x, f.repeatMonetary());
        if (!Double.isFinite(perPurchase)) {
            perPurchase = f.monetary();
        }
        double clv = 0;
        double before = 0;
        for (int i = 1; i <= CLV_MONTHS; i++) {
            double upTo = purchases.conditionalExpectedPurchases(i * MONTH_WEEKS, x, tx, t);
            clv += (upTo - before) / Math.pow(1 + MONTHLY_DISCOUNT, i);
            before = upTo;
        }
        return new double[] {alive, before, clv * perPurchase, intent};
    }

    public String tier(double clv) {
        if (tierCuts == null || tierCuts.length < 3 || clv <= 0) {
            return "low";
        }
        return clv >= tierCuts[0] ? "top" : clv >= tierCuts[1] ? "high" : clv >= tierCuts[2] ? "medium" : "low";
    }
}
