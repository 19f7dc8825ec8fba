package dev.siyu.analytics.ltv;

import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005, "RFM and CLV"; Fader &amp; Hardie's note on it):
 * each transaction's value ~ Gamma(shape p, rate nu), nu ~ Gamma(shape q, rate v) across customers,
 * independent of the purchase process. Fitted on the mean repeat-transaction value of customers with
 * frequency >= 1.
 */
public record GammaGamma(double p, double q, double v) {
    public GammaGamma {
        if (!(p > 0 && q > 0 && v > 0)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters must be positive: " + p + ", " + q + ", " + v);
        }
    }

    /** The log density of a mean value {@code m} over {@code x} transactions (the likelihood's term). */
    public double logLikelihood(int x, double m) {
        double px = p * x;
        return Gamma.logGamma(px + q) - Gamma.logGamma(px) - Gamma.logGamma(q) + q * Math.log(v)
                + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(v + x * m);
    }

    /** The population's mean transaction value, p v / (q - 1) (infinite for q <= 1). */
    public double populationMean() {
        return q > 1 ? p * v / (q - 1) : Double.POSITIVE_INFINITY;
    }

    /** E[Z | x, m]: the customer's expected transaction value, a weighted mean of the population's and their own. */
    public double conditionalExpectedValue(int x, double m) {
        if (x == 0) {
            return populationMean();
        }
        return p * (v + x * m) / (p * x + q - 1);
    }
}
