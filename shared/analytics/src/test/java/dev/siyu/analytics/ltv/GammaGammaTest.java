package dev.siyu.analytics.ltv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.analysis.integration.SimpsonIntegrator;
import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;

/** The Gamma-Gamma likelihood and expectation against the model's definition, integrated numerically. */
class GammaGammaTest {
    final GammaGamma cdnow = new GammaGamma(6.25, 3.74, 15.44);

    /** log of the Gamma(shape k, rate theta) density at y. */
    static double logGammaDensity(double y, double k, double theta) {
        return k * Math.log(theta) + (k - 1) * Math.log(y) - theta * y - Gamma.logGamma(k);
    }

    @Test
    void theLikelihoodIsTheMeanOfXGammaValuesMixedOverNu() {
        // Given nu, the mean of x Gamma(p, nu) values is Gamma(p x, x nu); nu ~ Gamma(q, v). Integrate nu out.
        int x = 3;
        double m = 27.5;
        SimpsonIntegrator integrator = new SimpsonIntegrator(1e-10, 1e-12, 3, 30);
        double density = integrator.integrate(10_000_000, nu -> nu <= 0 ? 0
                : Math.exp(logGammaDensity(m, cdnow.p() * x, x * nu) + logGammaDensity(nu, cdnow.q(), cdnow.v())), 0, 3);

        assertThat(cdnow.logLikelihood(x, m)).isCloseTo(Math.log(density), within(1e-6));
    }

    @Test
    void expectedSpendWeighsThePopulationAgainstTheCustomersOwnMean() {
        double population = cdnow.populationMean();
        assertThat(population).isCloseTo(6.25 * 15.44 / 2.74, within(1e-9));
        assertThat(cdnow.conditionalExpectedValue(0, 0)).isEqualTo(population);
        // More repeat purchases: closer to the customer's own mean.
        double own = 100;
        assertThat(cdnow.conditionalExpectedValue(1, own)).isBetween(population, own);
        assertThat(Math.abs(cdnow.conditionalExpectedValue(20, own) - own))
                .isLessThan(Math.abs(cdnow.conditionalExpectedValue(1, own) - own));
    }
}
