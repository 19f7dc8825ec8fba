package dev.siyu.analytics.ltv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The published CDNOW fits, when the CDNOW summary is at hand (its licence does not let us commit it):
 * {@code -Dcdnow.summary=.../cdnow_customers_summary_with_transactions.csv} (columns ID,x,t_x,T,zbar, as
 * distributed with the lifetimes package). Skipped otherwise; docs/intelligence.md records the run.
 */
class CdnowPublishedFitTest {

    @Test
    void reproducesFaderHardieLeesCdnowFits() throws IOException {
        String file = System.getProperty("cdnow.summary");
        Assumptions.assumeTrue(file != null && Files.exists(Path.of(file)), "no -Dcdnow.summary given");
        List<CustomerSummary> customers = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(file)).subList(1, 2358)) {
            String[] f = line.split(",");
            customers.add(new CustomerSummary(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), 0));
        }

        BgNbdFit fit = BgNbdFit.fit(customers);
        GammaGammaFit spend = GammaGammaFit.fit(customers);

        assertThat(fit.logLikelihood()).isCloseTo(-9582.4, within(0.1));
        assertThat(fit.model().r()).isCloseTo(0.243, within(0.001));
        assertThat(fit.model().alpha()).isCloseTo(4.414, within(0.005));
        assertThat(fit.model().a()).isCloseTo(0.793, within(0.002));
        assertThat(fit.model().b()).isCloseTo(2.426, within(0.005));
        assertThat(spend.model().p()).isCloseTo(6.25, within(0.01));
        assertThat(spend.model().q()).isCloseTo(3.74, within(0.01));
        assertThat(spend.model().v()).isCloseTo(15.44, within(0.05));
    }
}
