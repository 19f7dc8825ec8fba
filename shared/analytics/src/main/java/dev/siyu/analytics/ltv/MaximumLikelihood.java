package dev.siyu.analytics.ltv;

import java.util.function.ToDoubleFunction;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over positive parameters with Hipparchus' Nelder-Mead in log space
 * (so every step is a valid parameter set), restarted from its own optimum until it stops improving:
 * a single simplex run can stall on the long flat ridges these likelihoods have.
 */
final class MaximumLikelihood {
    private MaximumLikelihood() {
    }

    record Optimum(double[] parameters, double logLikelihood, int evaluations) {
    }

    static Optimum maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        int n = start.length;
        double[] guess = new double[n];
        for (int i = 0; i < n; i++) {
            guess[i] = Math.log(start[i]);
        }
        ObjectiveFunction negative = new ObjectiveFunction(logs -> {
            double[] params = new double[n];
            for (int i = 0; i < n; i++) {
                params[i] = Math.exp(logs[i]);
            }
            double ll = logLikelihood.applyAsDouble(params);
            return Double.isFinite(ll) ? -ll : Double.MAX_VALUE;
        });
        double best = Double.POSITIVE_INFINITY;
        int evaluations = 0;
        for (int round = 0; round < 6; round++) {
            SimplexOptimizer optimizer = new SimplexOptimizer(1e-11, 1e-9);
            PointValuePair p = optimizer.optimize(new MaxEval(20_000), negative, GoalType.MINIMIZE,
                    new InitialGuess(guess), new NelderMeadSimplex(n, round == 0 ? 1.0 : 0.1));
            evaluations += optimizer.getEvaluations();
            guess = p.getPoint();
            boolean improved = p.getValue() < best - 1e-7 * Math.max(1, Math.abs(best));
            best = Math.min(best, p.getValue());
            if (!improved && round > 0) {
                break;
            }
        }
        double[] params = new double[n];
        for (int i = 0; i < n; i++) {
            params[i] = Math.exp(guess[i]);
        }
        return new Optimum(params, -best, evaluations);
    }
}
