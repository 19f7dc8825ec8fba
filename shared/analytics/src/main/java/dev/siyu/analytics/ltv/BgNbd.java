package dev.siyu.analytics.ltv;

import org.hipparchus.special.Gamma;

/**
 * The BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"): while alive a
 * customer buys as a Poisson process with rate lambda ~ Gamma(shape r, rate alpha); after each purchase
 * they drop out with probability p ~ Beta(a, b). Rates are per the fit's {@link PeriodUnit}.
 */
public record BgNbd(double r, double alpha, double a, double b) {
    public BgNbd {
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
            throw new IllegalArgumentException("BG/NBD parameters must be positive: " + r + ", " + alpha + ", " + a + ", " + b);
        }
    }

    /** The paper's equation (6), in logs: one customer's contribution to the log-likelihood. */
    public double logLikelihood(int x, double tx, double t) {
        double a1 = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha);
        double a2 = Gamma.logGamma(a + b) + Gamma.logGamma(b + x) - Gamma.logGamma(b) - Gamma.logGamma(a + b + x);
        double a3 = -(r + x) * Math.log(alpha + t);
        if (x == 0) {
            return a1 + a2 + a3;
        }
        double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        double hi = Math.max(a3, a4);
        return a1 + a2 + hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi));
    }

    /** Equation (9): expected repeat purchases of a customer picked at random in (0, t]. */
    public double expectedPurchases(double t) {
        double z = t / (alpha + t);
        return (a + b - 1) / (a - 1)
                * (1 - Math.pow(alpha / (alpha + t), r) * Hypergeometric.f21(r, b, a + b - 1, z));
    }

    /** Equation (10): expected purchases in the next {@code t} of a customer with summary (x, tx, T). */
    public double conditionalExpectedPurchases(double t, int x, double tx, double age) {
        double z = t / (alpha + age + t);
        double head = (a + b + x - 1) / (a - 1);
        double tail = 1 - Math.pow((alpha + age) / (alpha + age + t), r + x) * Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        double denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.pow((alpha + age) / (alpha + tx), r + x) : 0);
        return head * tail / denominator;
    }

    /**
     * The probability of no purchase in the next {@code t}: dead, or alive and silent. Given alive at T,
     * lambda's posterior is Gamma(r + x, alpha + T), so silence for t has probability
     * ((alpha + T) / (alpha + T + t))^(r + x). This, not 1 - P(alive), is the churn score the fallback uses:
     * BG/NBD counts a customer without a repeat purchase as certainly alive.
     */
    public double probabilityNoPurchase(double t, int x, double tx, double age) {
        double alive = probabilityAlive(x, tx, age);
        return 1 - alive + alive * Math.pow((alpha + age) / (alpha + age + t), r + x);
    }

    /**
     * The probability that the customer is still alive at T (Fader, Hardie &amp; Lee's note "Computing P(alive)
     * using the BG/NBD model"); 1 for customers with no repeat purchase, as the model has them drop out only
     * after a purchase.
     */
    public double probabilityAlive(int x, double tx, double age) {
        if (x == 0) {
            return 1;
        }
        return 1 / (1 + a / (b + x - 1) * Math.pow((alpha + age) / (alpha + tx), r + x));
    }
}
