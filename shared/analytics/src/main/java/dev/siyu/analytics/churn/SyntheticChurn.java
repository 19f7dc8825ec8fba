package dev.siyu.analytics.churn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A churn table with a known signal, for tests: churn odds rise with support calls and the basic plan and
 * fall with tenure; {@code region} and {@code noise} carry none; 5% of monthly fees are blank.
 */
public final class SyntheticChurn {
    public static final List<String> COLUMNS = List.of("customer", "tenure_months", "monthly_fee", "plan", "support_calls",
            "region", "noise", "churned");
    private static final String[] PLANS = {"basic", "plus", "pro"};
    private static final String[] REGIONS = {"north", "south", "east", "west"};

    private SyntheticChurn() {
    }

    /** The rows; {@code plans} lets a test use plan names the training rows never had. */
    public static Table rows(int n, long seed, String[] plans) {
        Random random = new Random(seed);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tenure = 1 + random.nextInt(72);
            int plan = random.nextInt(3);
            int calls = (int) Math.min(9, Math.floor(-Math.log(1 - random.nextDouble()) * 1.5));
            double fee = 20 + 30 * plan + random.nextGaussian() * 5;
            double logit = -1.0 + 0.7 * calls - 0.04 * tenure + (plan == 0 ? 0.9 : 0);
            boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            rows.add(List.of("cust-" + i, String.valueOf(tenure), random.nextDouble() < 0.05 ? "" : String.format(Locale.ROOT, "%.2f", fee),
                    plans[plan], String.valueOf(calls), REGIONS[random.nextInt(REGIONS.length)],
                    String.format(Locale.ROOT, "%.3f", random.nextGaussian()), churned ? "Yes" : "No"));
        }
        return new Table("synthetic churn", COLUMNS, rows);
    }

    public static Table rows(int n, long seed) {
        return rows(n, seed, PLANS);
    }
}
