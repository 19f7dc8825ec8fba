package dev.siyu.analytics.churn;

import dev.siyu.analytics.ltv.Transaction;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A churn table from a transaction log, point in time: the cutoff is the last date minus the window;
 * features use purchases on or before the cutoff only (no leakage), and {@code churned} = yes when the
 * customer bought nothing in the window after it. Customers whose first purchase is after the cutoff are
 * not in the table. Same-day purchases are merged.
 */
public final class ChurnFeatures {
    public static final List<String> COLUMNS = List.of("customer_id", "recency_days", "purchase_days", "total_spend",
            "average_order", "tenure_days", "purchases_last_30_days", "purchases_last_90_days", "spend_last_90_days",
            "mean_gap_days", "churned");

    private ChurnFeatures() {
    }

    public static LocalDate cutoff(List<Transaction> transactions, int windowDays) {
        return transactions.stream().map(Transaction::date).max(LocalDate::compareTo).orElseThrow().minusDays(windowDays);
    }

    public static Table of(List<Transaction> transactions, LocalDate cutoff, int windowDays) {
        LocalDate end = cutoff.plusDays(windowDays);
        Map<String, TreeMap<LocalDate, Double>> days = new TreeMap<>();
        for (Transaction t : transactions) {
            days.computeIfAbsent(t.customerId(), k -> new TreeMap<>()).merge(t.date(), t.amount(), Double::sum);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, TreeMap<LocalDate, Double>> e : days.entrySet()) {
            TreeMap<LocalDate, Double> d = e.getValue();
            if (d.firstKey().isAfter(cutoff)) {
                continue;
            }
            var before = d.headMap(cutoff, true);
            double total = 0;
            int last30 = 0;
            int last90 = 0;
            double spend90 = 0;
            for (Map.Entry<LocalDate, Double> p : before.entrySet()) {
                total += p.getValue();
                long ago = ChronoUnit.DAYS.between(p.getKey(), cutoff);
                if (ago < 30) {
                    last30++;
                }
                if (ago < 90) {
                    last90++;
                    spend90 += p.getValue();
                }
            }
            int n = before.size();
            long tenure = ChronoUnit.DAYS.between(before.firstKey(), cutoff);
            long span = ChronoUnit.DAYS.between(before.firstKey(), before.lastKey());
            boolean churned = d.subMap(cutoff, false, end, true).isEmpty();
            rows.add(List.of(e.getKey(), String.valueOf(ChronoUnit.DAYS.between(before.lastKey(), cutoff)), String.valueOf(n),
                    fmt(total), fmt(total / n), String.valueOf(tenure), String.valueOf(last30), String.valueOf(last90),
                    fmt(spend90), n > 1 ? fmt(span / (double) (n - 1)) : "", churned ? "yes" : "no"));
        }
        return new Table("churn features at " + cutoff, COLUMNS, rows);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
