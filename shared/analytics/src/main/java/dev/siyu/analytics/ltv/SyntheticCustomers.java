package dev.siyu.analytics.ltv;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;

/**
 * Customers drawn from the models themselves, so a fit's parameters can be checked against known truth:
 * lambda ~ Gamma(r, alpha), p ~ Beta(a, b), purchases a Poisson process at rate lambda with a drop-out
 * chance p after each repeat purchase; each purchase's value ~ Gamma(p, nu) with nu ~ Gamma(q, v).
 * Deterministic for a seed.
 */
public final class SyntheticCustomers {
    private final BgNbd purchases;
    private final GammaGamma spend;
    private final RandomDataGenerator random;

    public SyntheticCustomers(BgNbd purchases, GammaGamma spend, long seed) {
        this.purchases = purchases;
        this.spend = spend;
        this.random = new RandomDataGenerator(seed);
    }

    /** One customer's purchase times after the first (at 0) up to {@code age}, and each purchase's value (first included). */
    private record Draw(List<Double> times, List<Double> values) {
    }

    private Draw draw(double age) {
        double lambda = random.nextGamma(purchases.r(), 1 / purchases.alpha());
        double dropOut = random.nextBeta(purchases.a(), purchases.b());
        double nu = random.nextGamma(spend.q(), 1 / spend.v());
        List<Double> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        values.add(random.nextGamma(spend.p(), 1 / nu));
        double t = 0;
        while (true) {
            t += random.nextExponential(1 / lambda);
            if (t > age) {
                break;
            }
            times.add(t);
            values.add(random.nextGamma(spend.p(), 1 / nu));
            if (random.nextUniform(0, 1) < dropOut) {
                break;
            }
        }
        return new Draw(times, values);
    }

    /** Summaries in continuous time, each customer observed for T uniform in [minAge, maxAge]. */
    public List<CustomerSummary> summaries(int customers, double minAge, double maxAge) {
        List<CustomerSummary> out = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            double age = minAge == maxAge ? minAge : random.nextUniform(minAge, maxAge);
            Draw d = draw(age);
            int x = d.times().size();
            double mean = 0;
            for (int j = 1; j < d.values().size(); j++) {
                mean += d.values().get(j) / x;
            }
            out.add(new CustomerSummary("c" + i, x, x == 0 ? 0 : d.times().get(x - 1), age, mean, 0));
        }
        return out;
    }

    /**
     * A transaction log in days: first purchases spread uniformly over {@code [start, start + joinDays)},
     * every customer followed to {@code end}; rates are per day.
     */
    public List<Transaction> transactions(int customers, LocalDate start, int joinDays, LocalDate end) {
        List<Transaction> out = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            LocalDate first = start.plusDays(random.nextInt(0, joinDays - 1));
            double age = java.time.temporal.ChronoUnit.DAYS.between(first, end);
            Draw d = draw(age);
            String id = "c" + (100000 + i);
            out.add(new Transaction(id, first, round(d.values().get(0))));
            for (int j = 0; j < d.times().size(); j++) {
                out.add(new Transaction(id, first.plusDays((long) Math.floor(d.times().get(j))), round(d.values().get(j + 1))));
            }
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
