package dev.siyu.analytics.scoring;

import dev.siyu.analytics.ltv.BgNbd;
import dev.siyu.analytics.ltv.GammaGamma;
import dev.siyu.analytics.ltv.MonthlyHorizon;
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

    /** The CLV horizon: twelve months of eq. (10), discounted; immutable, shared by every batch. */
    private static final MonthlyHorizon HORIZON = new MonthlyHorizon(CLV_MONTHS, MONTH_WEEKS, MONTHLY_DISCOUNT);

    /** Scratch space for {@link #value}: one per batch (per thread), reused for every customer of it. */
    static MonthlyHorizon.Workspace workspace() {
        return HORIZON.workspace();
    }

    /**
     * P(alive), expected purchases and discounted CLV over 12 months, and P(at least one purchase in the next 30
     * days), into {@code out[0..3]} (no allocation per customer: the nightly batch calls this for everyone).
     */
    void value(ProfileFeatures f, MonthlyHorizon.Workspace w, double[] out) {
        if (purchases == null) {
            out[0] = 1;
            out[1] = 0;
            out[2] = 0;
            out[3] = 0;
            return;
        }
        if (!f.purchased()) {
            // BG/NBD describes customers from their first purchase: a contact who never bought has no predicted
            // value (tier low), only the population's chance of a first purchase in the next 30 days.
            out[0] = 1;
            out[1] = 0;
            out[2] = 0;
            out[3] = 1 - purchases.probabilityNoPurchase(30 / 7.0, 0, 0, 0);
            return;
        }
        int x = f.repeatPurchases();
        double tx = f.firstToLastWeeks();
        double t = f.firstToCutoffWeeks();
        double perPurchase = spend == null ? f.monetary() : spend.conditionalExpectedValue(x, f.repeatMonetary());
        if (!Double.isFinite(perPurchase)) {
            perPurchase = f.monetary();
        }
        double discounted = HORIZON.discountedPurchases(purchases, x, tx, t, w);
        out[0] = purchases.probabilityAlive(x, tx, t);
        out[1] = w.horizonPurchases();
        out[2] = discounted * perPurchase;
        out[3] = 1 - purchases.probabilityNoPurchase(30 / 7.0, x, tx, t);
    }

    public String tier(double clv) {
        if (tierCuts == null || tierCuts.length < 3 || clv <= 0) {
            return "low";
        }
        return clv >= tierCuts[0] ? "top" : clv >= tierCuts[1] ? "high" : clv >= tierCuts[2] ? "medium" : "low";
    }
}
