package dev.siyu.analytics.ltv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Both fits together and what they predict. CLV over a horizon of whole months (a month is 365.25/12
 * days) = expected spend per purchase x sum over months of the expected purchases in that month,
 * discounted at {@code monthlyDiscount} per month (1% a month, about 12.7% a year, by default).
 */
public record LtvModel(BgNbdFit purchases, GammaGammaFit spend, PeriodUnit unit) {
    public static final int DEFAULT_MONTHS = 12;
    public static final double DEFAULT_MONTHLY_DISCOUNT = 0.01;

    /** Fits both models; the Gamma-Gamma fit is null when fewer than 2 customers bought again. */
    public static LtvModel fit(List<CustomerSummary> customers, PeriodUnit unit) {
        BgNbdFit purchases = BgNbdFit.fit(customers);
        long repeaters = customers.stream().filter(c -> c.frequency() >= 1 && c.monetary() > 0).count();
        return new LtvModel(purchases, repeaters >= 2 ? GammaGammaFit.fit(customers) : null, unit);
    }

    /** Sum over the cohort of the expected purchases in the {@code length} after calibration (in the fit's unit). */
    public double expectedHoldoutPurchases(List<CustomerSummary> customers, double length) {
        double total = 0;
        BgNbd m = purchases.model();
        for (CustomerSummary c : customers) {
            total += m.conditionalExpectedPurchases(length, c.frequency(), c.recency(), c.age());
        }
        return total;
    }

    public List<CustomerValue> values(List<CustomerSummary> customers, int months, double monthlyDiscount) {
        BgNbd m = purchases.model();
        MonthlyHorizon horizon = new MonthlyHorizon(months, unit.fromDays(365.25 / 12), monthlyDiscount);
        MonthlyHorizon.Workspace w = horizon.workspace();
        List<double[]> raw = new ArrayList<>();
        for (CustomerSummary c : customers) {
            double perPurchase = spend == null ? 0 : spend.model().conditionalExpectedValue(c.frequency(), c.monetary());
            if (!Double.isFinite(perPurchase)) {
                perPurchase = 0;
            }
            double clv = horizon.discountedPurchases(m, c.frequency(), c.recency(), c.age(), w);
            raw.add(new double[] {m.probabilityAlive(c.frequency(), c.recency(), c.age()), w.horizonPurchases(), perPurchase,
                    clv * perPurchase});
        }
        Integer[] order = new Integer[customers.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -raw.get(i)[3]));
        LtvTier[] tiers = new LtvTier[order.length];
        for (int rank = 0; rank < order.length; rank++) {
            tiers[order[rank]] = raw.get(order[rank])[3] > 0 ? LtvTier.ofRank(rank, order.length) : LtvTier.LOW;
        }
        List<CustomerValue> out = new ArrayList<>(customers.size());
        for (int i = 0; i < customers.size(); i++) {
            double[] v = raw.get(i);
            out.add(new CustomerValue(customers.get(i).customerId(), v[0], v[1], v[2], v[3], tiers[i]));
        }
        return out;
    }
}
