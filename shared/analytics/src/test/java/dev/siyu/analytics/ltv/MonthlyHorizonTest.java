package dev.siyu.analytics.ltv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-pass horizon against the paper's definition evaluated month by month (eq. (10) at each month's end
 * through {@link BgNbd#conditionalExpectedPurchases}, differenced and discounted, as the CLV was computed before):
 * equal to 1e-9 relative for parameters and summaries across the ranges fits and customers produce, including
 * fits with a and b in the millions (nobody drops out), where only the untransformed series stays finite.
 */
class MonthlyHorizonTest {
    private static final double MONTH_WEEKS = PeriodUnit.WEEK.fromDays(365.25 / 12);

    @Test
    void equalsTwelveMonthlyEvaluationsOfEquationTen() {
        SplittableRandom rnd = new SplittableRandom(7);
        MonthlyHorizon horizon = new MonthlyHorizon(12, MONTH_WEEKS, 0.01);
        MonthlyHorizon.Workspace w = horizon.workspace();
        int checked = 0;
        for (int k = 0; k < 20_000; k++) {
            // A quarter of the fits in the no-dropout corner, where the optimiser sends a and b into the millions.
            double scale = k % 4 == 0 ? Math.pow(10, 2 + rnd.nextDouble() * 5) : 1;
            BgNbd m = new BgNbd(0.05 + rnd.nextDouble() * 3, 0.5 + rnd.nextDouble() * 40, (0.2 + rnd.nextDouble() * 3) * scale,
                    (0.2 + rnd.nextDouble() * 8) * scale);
            if (m.a() <= 1.0001) {
                // eq. (10)'s head divides by a - 1: both ways are infinite there, nothing to compare.
                continue;
            }
            double age = rnd.nextDouble() * 120;
            int x = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(60);
            double tx = x == 0 ? 0 : rnd.nextDouble() * age;
            double expectedTotal = 0;
            double before = 0;
            for (int i = 1; i <= 12; i++) {
                double upTo = m.conditionalExpectedPurchases(i * MONTH_WEEKS, x, tx, age);
                expectedTotal += (upTo - before) / Math.pow(1.01, i);
                before = upTo;
            }
            double total = horizon.discountedPurchases(m, x, tx, age, w);
            assertThat(total).as("%s x=%d tx=%f T=%f", m, x, tx, age).isFinite();
            assertThat(total).isCloseTo(expectedTotal, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(expectedTotal))));
            assertThat(w.horizonPurchases()).isCloseTo(before, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, before)));
            checked++;
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void oneMonthIsEquationTenItself() {
        BgNbd m = new BgNbd(0.243, 4.414, 0.793, 2.426);
        MonthlyHorizon one = new MonthlyHorizon(1, 4.0, 0.0);
        MonthlyHorizon.Workspace w = one.workspace();
        double total = one.discountedPurchases(m, 2, 30.43, 38.86, w);
        assertThat(total).isCloseTo(m.conditionalExpectedPurchases(4.0, 2, 30.43, 38.86), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(w.horizonPurchases()).isEqualTo(total);
    }
}
