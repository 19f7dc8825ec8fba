package dev.siyu.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.analytics.ltv.Transaction;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The churn table from transactions sees nothing after its cutoff, and labels by the window after it. */
class ChurnFeaturesTest {
    static Transaction t(String id, String date, double amount) {
        return new Transaction(id, LocalDate.parse(date), amount);
    }

    @Test
    void featuresStopAtTheCutoffAndTheLabelLooksOnlyAfterIt() {
        List<Transaction> log = new ArrayList<>(List.of(
                t("stays", "2024-01-01", 10), t("stays", "2024-03-01", 20), t("stays", "2024-05-01", 30),
                t("goes", "2024-01-05", 50), t("goes", "2024-02-05", 50),
                t("late", "2024-04-15", 99)));
        Table before = ChurnFeatures.of(log, LocalDate.of(2024, 3, 31), 90);
        log.add(t("goes", "2024-06-29", 1_000)); // the window's last day: cutoff + 90 days
        Table after = ChurnFeatures.of(log, LocalDate.of(2024, 3, 31), 90);

        assertThat(before.rows()).extracting(r -> r.get(0)).containsExactly("goes", "stays");
        List<String> stays = before.rows().get(1);
        assertThat(stays.get(1)).isEqualTo("30");      // recency_days: 2024-03-01 to the cutoff
        assertThat(stays.get(2)).isEqualTo("2");       // purchase_days: the May purchase is after the cutoff
        assertThat(stays.get(3)).isEqualTo("30.00");   // total_spend
        assertThat(stays.get(stays.size() - 1)).isEqualTo("no");
        assertThat(before.rows().get(0).get(before.columns().size() - 1)).isEqualTo("yes");
        // A purchase inside goes' window changes the label and nothing else.
        assertThat(after.rows().get(0).subList(0, 10)).isEqualTo(before.rows().get(0).subList(0, 10));
        assertThat(after.rows().get(0).get(10)).isEqualTo("no");
    }
}
