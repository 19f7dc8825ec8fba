package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.analytics.churn.SyntheticChurn;
import dev.siyu.analytics.churn.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./siyu ltv | personas | churn} end to end on files, as a data person runs them. */
class AnalyticsCommandsTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static final String SMALL = ROOT.resolve("data/transactions_small.csv").toString();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), ROOT);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ltvFitPrintsBothModelsAndTheHoldoutAsJson() throws Exception {
        Run r = run("ltv", "fit", "--transactions", SMALL, "--calibration-end", "2024-09-30", "--holdout-end", "2024-12-31",
                "--period", "day", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("customers").asInt()).isEqualTo(400);
        // The file was drawn with r=0.25, alpha=10 (per day), a=0.8, b=2.4: 400 customers pin r and alpha loosely.
        assertThat(j.at("/bgnbd/r").asDouble()).isBetween(0.15, 0.4);
        assertThat(j.at("/bgnbd/alpha").asDouble()).isBetween(5.0, 20.0);
        assertThat(j.at("/bgnbd/a").asDouble()).isPositive();
        assertThat(j.at("/bgnbd/b").asDouble()).isPositive();
        assertThat(j.at("/bgnbd/loglik").asDouble()).isNegative();
        assertThat(j.at("/gammagamma/p").asDouble()).isPositive();
        assertThat(j.at("/gammagamma/q").asDouble()).isGreaterThan(1);
        assertThat(j.at("/gammagamma/v").asDouble()).isPositive();
        double predicted = j.at("/holdout/predicted").asDouble();
        int actual = j.at("/holdout/actual").asInt();
        assertThat(actual).isPositive();
        assertThat(predicted).isBetween(actual * 0.7, actual * 1.3);
    }

    @Test
    void ltvFitInWeeksPrintsTextAndWritesEachCustomersValue() throws Exception {
        Path values = dir.resolve("values.csv");
        Run r = run("ltv", "fit", "--transactions", SMALL, "--calibration-end", "2024-09-30",
                "--values", values.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("customers    400").contains("BG/NBD       r=").contains("Gamma-Gamma  p=")
                .doesNotContain("holdout ");
        List<String> lines = Files.readAllLines(values);
        assertThat(lines.get(0)).isEqualTo("customer_id,p_alive,expected_purchases_12m,expected_spend,clv_12m,ltv_tier");
        assertThat(lines).hasSize(401);
        assertThat(lines.stream().filter(l -> l.endsWith(",top")).count()).isEqualTo(40);
    }

    @Test
    void personasNameEveryClusterAndCoverEveryCustomer() throws Exception {
        Run r = run("personas", "--transactions", SMALL, "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        int k = j.get("k").asInt();
        assertThat(k).isBetween(3, 8);
        assertThat(j.get("personas")).hasSize(k);
        int total = 0;
        for (JsonNode p : j.get("personas")) {
            assertThat(p.get("name").asText()).isNotBlank();
            assertThat(p.get("description").asText()).contains("customers");
            total += p.get("size").asInt();
        }
        assertThat(total).isEqualTo(400);
        assertThat(r.err()).contains("silhouette");
    }

    @Test
    void churnTrainThenScoreRoundTrip() throws Exception {
        Path train = dir.resolve("train.csv");
        write(SyntheticChurn.rows(3_000, 21), train);
        Path model = dir.resolve("model");

        Run trained = run("churn", "train", "--csv", train.toString(), "--label", "churned", "--id", "customer",
                "--model-dir", model.toString(), "--json");
        Path fresh = dir.resolve("new.csv");
        write(SyntheticChurn.rows(25, 22, new String[] {"basic", "enterprise", "pro"}), fresh);
        Run scored = run("churn", "score", "--model-dir", model.toString(), "--csv", fresh.toString(), "--id", "customer");

        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.json().get("auc").asDouble()).isGreaterThan(0.7);
        assertThat(trained.json().get("rows").asInt()).isEqualTo(3_000);
        assertThat(trained.json().get("features").asInt()).isGreaterThan(5);
        assertThat(trained.json().get("model_dir").asText()).isEqualTo(model.toAbsolutePath().toString());
        assertThat(model.resolve("model.ubj")).exists();
        assertThat(Files.readString(model.resolve("model-card.json"))).contains("\"holdout_auc\"").contains("\"calibration\"");
        assertThat(scored.code()).as(scored.err()).isZero();
        List<String> lines = scored.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("id,score");
        assertThat(lines).hasSize(26);
        assertThat(lines.get(1)).startsWith("cust-0,");
        assertThat(Double.parseDouble(lines.get(1).split(",")[1])).isBetween(0.0, 1.0);
    }

    @Test
    void churnWithTooFewChurnersFallsBackToPAliveWhenTransactionsAreGiven() throws Exception {
        Path train = dir.resolve("few.csv");
        Files.writeString(train, "customer_id,visits,churned\nc100000,3,yes\nc100001,5,no\nc100002,1,no\n");
        Path model = dir.resolve("fallback");

        Run without = run("churn", "train", "--csv", train.toString(), "--label", "churned");
        Run with = run("churn", "train", "--csv", train.toString(), "--label", "churned", "--model-dir", model.toString(),
                "--transactions", SMALL, "--json");
        Run scored = run("churn", "score", "--model-dir", model.toString(), "--csv", train.toString(), "--transactions", SMALL);

        assertThat(without.code()).isEqualTo(1);
        assertThat(without.err()).contains("only 1 churned and 2 retained rows").contains("--transactions");
        assertThat(with.code()).as(with.err()).isZero();
        assertThat(with.json().get("fallback").asText()).isEqualTo("bgnbd_p_alive");
        assertThat(with.err()).contains("fell back to BG/NBD P(alive)");
        assertThat(scored.out().lines().toList()).hasSize(4).first().isEqualTo("id,score");
    }

    @Test
    void badInputIsAClearMessageNotAStackTrace() throws Exception {
        Path noHeader = dir.resolve("no-header.csv");
        Files.writeString(noHeader, "c1,2024-01-01,10\nc1,2024-02-01,12\n");
        Path badDate = dir.resolve("bad-date.csv");
        Files.writeString(badDate, "customer_id,date,amount\nc1,2024-01-01,10\nc1,01/02/2024,12\n");

        Run missingHeader = run("ltv", "fit", "--transactions", noHeader.toString(), "--calibration-end", "2024-06-30");
        Run wrongDate = run("ltv", "fit", "--transactions", badDate.toString(), "--calibration-end", "2024-06-30");
        Run wrongOption = run("ltv", "fit", "--transactions", SMALL, "--calibration-end", "June");
        Run missingFile = run("personas", "--transactions", dir.resolve("nope.csv").toString());

        assertThat(missingHeader.code()).isEqualTo(1);
        assertThat(missingHeader.err()).contains("no-header.csv: the header has no column 'customer_id'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(wrongDate.code()).isEqualTo(1);
        assertThat(wrongDate.err()).contains("bad-date.csv line 3: date '01/02/2024' is not YYYY-MM-DD or YYYYMMDD")
                .doesNotContain("\tat ");
        assertThat(wrongOption.code()).isEqualTo(2);
        assertThat(wrongOption.err()).contains("--calibration-end must be a date YYYY-MM-DD, got 'June'");
        assertThat(missingFile.code()).isEqualTo(2);
        assertThat(missingFile.err()).contains("no such file");
    }

    static void write(Table t, Path file) throws Exception {
        StringBuilder s = new StringBuilder(String.join(",", t.columns())).append('\n');
        for (List<String> row : t.rows()) {
            s.append(String.join(",", row)).append('\n');
        }
        Files.writeString(file, s);
    }
}
