package dev.siyu.analytics.ltv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The BG/NBD formulas against values worked out by hand from the paper's equations. */
class BgNbdTest {
    final BgNbd cdnow = new BgNbd(0.243, 4.414, 0.793, 2.426);

    @Test
    void aCustomerWithoutRepeatPurchasesIsCertainlyAlive() {
        assertThat(cdnow.probabilityAlive(0, 0, 38.86)).isEqualTo(1.0);
    }

    @Test
    void aLongSilenceAfterManyPurchasesMakesDropOutLikely() {
        double recent = cdnow.probabilityAlive(7, 38, 39);
        double silent = cdnow.probabilityAlive(7, 10, 39);

        assertThat(recent).isGreaterThan(0.85);
        assertThat(silent).isLessThan(0.1);
    }

    @Test
    void conditionalExpectationOfANewCustomerEqualsTheUnconditionalOne() {
        // At T = 0 with no history the customer is a random draw from the population.
        assertThat(cdnow.conditionalExpectedPurchases(39, 0, 0, 0)).isCloseTo(cdnow.expectedPurchases(39), within(1e-9));
    }

    @Test
    void theLikelihoodOfOneCustomerMatchesTheClosedForm() {
        // x = 2, t_x = 30.43, T = 38.86 (CDNOW's customer 1), computed from equation (6) term by term.
        double r = 0.243, alpha = 4.414, a = 0.793, b = 2.426;
        int x = 2;
        double tx = 30.43, t = 38.86;
        double beta = org.hipparchus.special.Beta.logBeta(a, b + x) - org.hipparchus.special.Beta.logBeta(a, b);
        double gammaPart = org.hipparchus.special.Gamma.logGamma(r + x) - org.hipparchus.special.Gamma.logGamma(r) + r * Math.log(alpha);
        double first = Math.exp(beta + gammaPart - (r + x) * Math.log(alpha + t));
        double beta2 = org.hipparchus.special.Beta.logBeta(a + 1, b + x - 1) - org.hipparchus.special.Beta.logBeta(a, b);
        double second = Math.exp(beta2 + gammaPart - (r + x) * Math.log(alpha + tx));

        assertThat(cdnow.logLikelihood(x, tx, t)).isCloseTo(Math.log(first + second), within(1e-10));
    }
}
