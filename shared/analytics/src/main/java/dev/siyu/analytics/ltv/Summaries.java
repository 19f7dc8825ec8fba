package dev.siyu.analytics.ltv;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Transactions to per-customer summaries at a calibration end; customers whose first purchase is later are not in the cohort. */
public final class Summaries {
    private Summaries() {
    }

    /** {@code holdoutEnd} may be null: then every holdout count is 0. */
    public static List<CustomerSummary> of(List<Transaction> transactions, LocalDate calibrationEnd, LocalDate holdoutEnd,
                                           PeriodUnit unit) {
        Map<String, TreeMap<LocalDate, Double>> days = new HashMap<>();
        for (Transaction t : transactions) {
            days.computeIfAbsent(t.customerId(), k -> new TreeMap<>()).merge(t.date(), t.amount(), Double::sum);
        }
        List<CustomerSummary> out = new ArrayList<>(days.size());
        for (Map.Entry<String, TreeMap<LocalDate, Double>> e : days.entrySet()) {
            TreeMap<LocalDate, Double> d = e.getValue();
            LocalDate first = d.firstKey();
            if (first.isAfter(calibrationEnd)) {
                continue;
            }
            var calibration = d.headMap(calibrationEnd, true);
            LocalDate last = calibration.lastKey();
            int frequency = calibration.size() - 1;
            double repeatTotal = 0;
            boolean skippedFirst = false;
            for (double amount : calibration.values()) {
                if (skippedFirst) {
                    repeatTotal += amount;
                }
                skippedFirst = true;
            }
            int holdout = holdoutEnd == null ? 0 : d.subMap(calibrationEnd, false, holdoutEnd, true).size();
            out.add(new CustomerSummary(e.getKey(), frequency,
                    unit.fromDays(ChronoUnit.DAYS.between(first, last)),
                    unit.fromDays(ChronoUnit.DAYS.between(first, calibrationEnd)),
                    frequency == 0 ? 0 : repeatTotal / frequency, holdout));
        }
        out.sort((a, b) -> a.customerId().compareTo(b.customerId()));
        return out;
    }
}
