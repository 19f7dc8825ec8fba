package dev.siyu.analytics.personas;

import dev.siyu.analytics.ltv.Transaction;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One customer's behaviour as of a date, from purchases on or before it (same-day purchases merged):
 * days since the last purchase, purchase days per 30 days of tenure, mean spend per purchase day,
 * days since the first purchase, and the spread of spend (coefficient of variation, 0 with one purchase).
 */
public record BehaviourFeatures(String customerId, double recencyDays, double purchasesPer30Days, double averageOrder,
                                double tenureDays, double spendVariation) {

    static final String[] NAMES = {"recency_days", "purchases_per_30_days", "average_order", "tenure_days", "spend_variation"};

    double[] vector() {
        return new double[] {recencyDays, purchasesPer30Days, averageOrder, tenureDays, spendVariation};
    }

    /** Customers whose purchases on or before {@code asOf} total a positive amount. */
    public static List<BehaviourFeatures> of(List<Transaction> transactions, LocalDate asOf) {
        Map<String, TreeMap<LocalDate, Double>> days = new TreeMap<>();
        for (Transaction t : transactions) {
            if (!t.date().isAfter(asOf)) {
                days.computeIfAbsent(t.customerId(), k -> new TreeMap<>()).merge(t.date(), t.amount(), Double::sum);
            }
        }
        List<BehaviourFeatures> out = new ArrayList<>(days.size());
        for (Map.Entry<String, TreeMap<LocalDate, Double>> e : days.entrySet()) {
            TreeMap<LocalDate, Double> d = e.getValue();
            double total = 0;
            double squares = 0;
            for (double v : d.values()) {
                total += v;
                squares += v * v;
            }
            if (total <= 0) {
                continue;
            }
            int n = d.size();
            double mean = total / n;
            double sd = n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : 0;
            double tenure = ChronoUnit.DAYS.between(d.firstKey(), asOf);
            out.add(new BehaviourFeatures(e.getKey(), ChronoUnit.DAYS.between(d.lastKey(), asOf),
                    n * 30.0 / Math.max(tenure, 30), mean, tenure, sd / mean));
        }
        return out;
    }
}
