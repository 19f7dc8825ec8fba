package dev.siyu.analytics.ltv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Customers drawn from BG/NBD and Gamma-Gamma with the published CDNOW parameters come back from the
 * fits close to those parameters: 20,000 customers observed 26 to 52 weeks.
 */
class ParameterRecoveryTest {
    static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);
    static final GammaGamma CDNOW_SPEND = new GammaGamma(6.25, 3.74, 15.44);

    @Test
    void bgNbdRecoversTheParametersItWasDrawnFrom() {
        List<CustomerSummary> customers = new SyntheticCustomers(CDNOW, CDNOW_SPEND, 7).summaries(20_000, 26, 52);

        BgNbd fitted = BgNbdFit.fit(customers).model();

        assertThat(fitted.r()).isCloseTo(0.243, within(0.243 * 0.10));
        assertThat(fitted.alpha()).isCloseTo(4.414, within(4.414 * 0.15));
        assertThat(fitted.a()).isCloseTo(0.793, within(0.793 * 0.25));
        assertThat(fitted.b()).isCloseTo(2.426, within(2.426 * 0.30));
    }

    @Test
    void gammaGammaRecoversTheParametersItWasDrawnFrom() {
        List<CustomerSummary> customers = new SyntheticCustomers(CDNOW, CDNOW_SPEND, 11).summaries(20_000, 26, 52);

        GammaGammaFit fit = GammaGammaFit.fit(customers);

        assertThat(fit.model().p()).isCloseTo(6.25, within(6.25 * 0.15));
        assertThat(fit.model().q()).isCloseTo(3.74, within(3.74 * 0.15));
        assertThat(fit.model().v()).isCloseTo(15.44, within(15.44 * 0.25));
        // The population mean p v / (q - 1) is pinned much more tightly than v alone.
        assertThat(fit.model().populationMean()).isCloseTo(CDNOW_SPEND.populationMean(), within(CDNOW_SPEND.populationMean() * 0.05));
    }

    @Test
    void theFitExplainsItsOwnDataBetterThanTheTruthDoes() {
        List<CustomerSummary> customers = new SyntheticCustomers(CDNOW, CDNOW_SPEND, 3).summaries(5_000, 26, 52);

        BgNbdFit fit = BgNbdFit.fit(customers);

        // A maximum of the likelihood: never below the generating parameters' likelihood.
        assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(BgNbdFit.logLikelihood(CDNOW, customers) - 1e-6);
        assertThat(fit.logLikelihood()).isCloseTo(BgNbdFit.logLikelihood(fit.model(), customers), within(1e-6));
    }

    @Test
    void holdoutPredictionsMatchWhatTheSimulatedCustomersDo() {
        // Rates per day; first purchases over 90 days, calibration to 2024-09-30, holdout of 92 days.
        BgNbd perDay = new BgNbd(0.25, 10, 0.8, 2.4);
        var transactions = new SyntheticCustomers(perDay, CDNOW_SPEND, 9)
                .transactions(20_000, java.time.LocalDate.of(2024, 1, 1), 90, java.time.LocalDate.of(2024, 12, 31));
        List<CustomerSummary> customers = Summaries.of(transactions, java.time.LocalDate.of(2024, 9, 30),
                java.time.LocalDate.of(2024, 12, 31), PeriodUnit.DAY);
        double predicted = customers.stream()
                .mapToDouble(c -> perDay.probabilityNoPurchase(92, c.frequency(), c.recency(), c.age())).average().orElseThrow();
        double observed = customers.stream().filter(c -> c.holdout() == 0).count() / (double) customers.size();
        double expectedPurchases = customers.stream()
                .mapToDouble(c -> perDay.conditionalExpectedPurchases(92, c.frequency(), c.recency(), c.age())).sum();
        int holdoutPurchases = customers.stream().mapToInt(CustomerSummary::holdout).sum();

        assertThat(predicted).isCloseTo(observed, within(0.02));
        // Equation (10) summed over the cohort against the purchase days they went on to make.
        assertThat(expectedPurchases).isCloseTo(holdoutPurchases, within(holdoutPurchases * 0.04));
    }

    @Test
    void predictedRepeatPurchasesMatchWhatTheSimulatedCustomersGoOnToDo() {
        // The model's unconditional expectation (equation (9)) over 52 weeks vs the simulated mean frequency at T = 52.
        List<CustomerSummary> customers = new SyntheticCustomers(CDNOW, CDNOW_SPEND, 5).summaries(40_000, 52, 52);
        double observed = customers.stream().mapToInt(CustomerSummary::frequency).average().orElseThrow();

        assertThat(CDNOW.expectedPurchases(52)).isCloseTo(observed, within(observed * 0.04));
    }
}
