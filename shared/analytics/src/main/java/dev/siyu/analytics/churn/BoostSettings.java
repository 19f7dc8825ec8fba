package dev.siyu.analytics.churn;

/**
 * Gradient-boosting settings: shallow trees with a small learning rate, row and column subsampling, and
 * early stopping on the inner validation split's log loss. {@link #DEFAULT} is what the CLI uses.
 */
public record BoostSettings(double learningRate, int maxDepth, double minChildWeight, double subsample, double columnSample,
                            double l2, int maxRounds, int patience, long seed, int threads) {
    public static final BoostSettings DEFAULT = new BoostSettings(0.05, 3, 1, 0.8, 0.8, 1, 2000, 50, 42, 2);
}
