package dev.siyu.analytics.ltv;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.special.Gamma;

/** A maximum-likelihood Gamma-Gamma fit on the customers with at least one repeat purchase and a positive mean spend. */
public record GammaGammaFit(GammaGamma model, double logLikelihood, int customers, int evaluations) {

    public static GammaGammaFit fit(List<CustomerSummary> all) {
        List<CustomerSummary> repeaters = new ArrayList<>();
        for (CustomerSummary c : all) {
            if (c.frequency() >= 1 && c.monetary() > 0) {
                repeaters.add(c);
            }
        }
        if (repeaters.size() < 2) {
            throw new IllegalArgumentException("Gamma-Gamma needs at least 2 customers with a repeat purchase, found " + repeaters.size());
        }
        int n = repeaters.size();
        int[] x = new int[n];
        double[] m = new double[n];
        double[] logM = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            x[i] = repeaters.get(i).frequency();
            m[i] = repeaters.get(i).monetary();
            logM[i] = Math.log(m[i]);
            mean += m[i] / n;
        }
        double start = mean;
        int maxX = java.util.Arrays.stream(x).max().orElse(1);
        int[] distinct = java.util.Arrays.stream(x).distinct().toArray();
        // The Gamma-function terms depend on x only: once per distinct x, not once per customer.
        double[] sumLogM = new double[maxX + 1];
        double[] lgPx = new double[maxX + 1];
        double[] lgPxQ = new double[maxX + 1];
        int[] count = new int[maxX + 1];
        for (int i = 0; i < n; i++) {
            count[x[i]]++;
            sumLogM[x[i]] += logM[i];
        }
        MaximumLikelihood.Optimum o = MaximumLikelihood.maximise(params -> {
            double p = params[0];
            double q = params[1];
            double v = params[2];
            double total = n * (-Gamma.logGamma(q) + q * Math.log(v));
            for (int k : distinct) {
                double px = p * k;
                total += count[k] * (Gamma.logGamma(px + q) - Gamma.logGamma(px) + px * Math.log(k)) + (px - 1) * sumLogM[k];
            }
            for (int i = 0; i < n; i++) {
                total -= (p * x[i] + q) * Math.log(v + x[i] * m[i]);
            }
            return total;
        }, new double[] {1, 2, start});
        double[] p = o.parameters();
        return new GammaGammaFit(new GammaGamma(p[0], p[1], p[2]), o.logLikelihood(), n, o.evaluations());
    }
}
