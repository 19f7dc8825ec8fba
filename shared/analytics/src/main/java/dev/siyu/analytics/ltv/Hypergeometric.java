package dev.siyu.analytics.ltv;

/**
 * The Gaussian hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1 by its power series, which is
 * what the BG/NBD expectations need (z = t / (alpha + T + t)); Hipparchus has no 2F1.
 */
final class Hypergeometric {
    private Hypergeometric() {
    }

    static double f21(double a, double b, double c, double z) {
        if (z < 0 || z >= 1) {
            throw new IllegalArgumentException("2F1 series needs 0 <= z < 1, got " + z);
        }
        double term = 1;
        double sum = 1;
        for (int j = 0; j < 1_000_000; j++) {
            term *= (a + j) * (b + j) / ((c + j) * (j + 1)) * z;
            sum += term;
            if (Math.abs(term) <= 1e-14 * Math.abs(sum)) {
                return sum;
            }
        }
        return sum;
    }
}
