package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.CalibrationBin;
import dev.siyu.analytics.churn.ChurnFeatures;
import dev.siyu.analytics.churn.ChurnScoring;
import dev.siyu.analytics.churn.ChurnTraining;
import dev.siyu.analytics.churn.ModelCard;
import dev.siyu.analytics.churn.NotEnoughExamples;
import dev.siyu.analytics.churn.Table;
import dev.siyu.analytics.data.Csv;
import dev.siyu.analytics.ltv.BgNbd;
import dev.siyu.analytics.ltv.BgNbdFit;
import dev.siyu.analytics.ltv.CustomerSummary;
import dev.siyu.analytics.ltv.PeriodUnit;
import dev.siyu.analytics.ltv.Summaries;
import dev.siyu.analytics.ltv.Transaction;
import dev.siyu.analytics.xgboost.XgboostLearner;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.UsageException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./siyu churn train | score | features}: an XGBoost churn model on any table, stored with its model
 * card in a directory; scoring a file with it; and a churn table built from a transaction log. With fewer
 * than 100 of a class and {@code --transactions}, training falls back to BG/NBD: score = the probability of
 * no purchase in the next {@code --window-days} (90), from P(alive).
 */
final class ChurnCommand {
    static final String MODEL = "model.ubj";
    static final String FALLBACK = "fallback-bgnbd.json";

    private ChurnCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        if (argv.isEmpty()) {
            throw new UsageException("churn needs a subcommand: train, score or features");
        }
        // XGBoost logs every round's validation score at INFO; the command prints its own summary.
        Main.onlyWarnings();
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "train" -> train(rest, out, err, root);
            case "score" -> score(rest, out, err, root);
            case "features" -> features(rest, out, err, root);
            default -> throw new UsageException("unknown churn subcommand '" + argv.get(0) + "' (train, score, features)");
        };
    }

    private static Table table(Path file) throws Exception {
        try (BufferedReader in = AnalyticsFiles.open(file)) {
            return Table.read(in, file.getFileName().toString());
        }
    }

    private static int train(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of("json"), Set.of("csv", "label", "id", "model-dir", "transactions", "window-days"));
        Path csv = AnalyticsFiles.existing(args.required("csv"), "csv", root);
        String label = args.required("label");
        String id = args.string("id", null);
        Path dir = Path.of(args.string("model-dir", "churn-model")).toAbsolutePath();
        Path transactions = args.string("transactions", null) == null ? null
                : AnalyticsFiles.existing(args.string("transactions", null), "transactions", root);
        err.println("churn: reading " + csv.getFileName() + " ...");
        Table table = table(csv);
        ChurnTraining.Trained trained;
        try {
            trained = new ChurnTraining(new XgboostLearner(err::println), BoostSettings.DEFAULT, err::println)
                    .train(table, label, id, Instant.now().toString());
        } catch (NotEnoughExamples e) {
            err.println("churn: " + e.getMessage() + ".");
            if (transactions == null) {
                err.println("churn: no model trained; give --transactions FILE to fall back to BG/NBD's P(no purchase in the window)");
                return 1;
            }
            return fallback(transactions, args.integer("window-days", 90, 1, 3650), table.rows().size(), e, dir,
                    args.flag("json"), out, err);
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(MODEL), trained.model().save());
        Files.writeString(dir.resolve(ModelCard.FILE), trained.card().toJson());
        Files.deleteIfExists(dir.resolve(FALLBACK));
        ModelCard card = trained.card();
        if (args.flag("json")) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode o = json.createObjectNode();
            o.put("auc", card.holdoutAuc());
            o.put("rows", card.rows());
            o.put("features", card.features());
            o.put("model_dir", dir.toString());
            o.put("churned", card.churned());
            o.put("retained", card.retained());
            o.put("holdout_rows", card.holdoutRows());
            o.put("rounds", card.rounds());
            o.put("training_seconds", card.trainingSeconds());
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return 0;
        }
        out.printf(Locale.ROOT, "holdout AUC  %.4f  (%d rows held out, stratified, seed %d)%n", card.holdoutAuc(),
                card.holdoutRows(), card.settings().seed());
        out.printf(Locale.ROOT, "rows         %d (%d churned, %d retained); %d training, %d for early stopping%n",
                card.rows(), card.churned(), card.retained(), card.trainingRows(), card.validationRows());
        out.printf(Locale.ROOT, "features     %d from %d columns%s; %d trees kept by early stopping; %.1f s%n",
                card.features(), card.encoding().columns().size(),
                card.skippedColumns().isEmpty() ? "" : " (skipped: " + String.join(", ", card.skippedColumns()) + ")",
                card.rounds(), card.trainingSeconds());
        out.println("top features (share of split gain):");
        card.importance().stream().limit(8).forEach(i -> out.printf(Locale.ROOT, "  %-40s %.3f%n", i.feature(), i.gainShare()));
        out.println("calibration (holdout by predicted score, tenths):");
        for (CalibrationBin b : card.calibration()) {
            out.printf(Locale.ROOT, "  %.3f-%.3f  %4d rows  predicted %.3f  observed %.3f%n", b.fromScore(), b.toScore(),
                    b.rows(), b.meanPredicted(), b.observedRate());
        }
        out.println("model        " + dir.resolve(MODEL) + " (card: " + ModelCard.FILE + ")");
        return 0;
    }

    /**
     * Too few of a class: BG/NBD fitted on the transactions, in weeks, calibrated to their last day; a
     * customer's score is the probability of no purchase in the next window (see BgNbd#probabilityNoPurchase).
     */
    private static int fallback(Path file, int windowDays, int rows, NotEnoughExamples e, Path dir, boolean asJson, PrintStream out,
                                PrintStream err) throws Exception {
        List<Transaction> transactions = AnalyticsFiles.transactions(file);
        LocalDate end = transactions.stream().map(Transaction::date).max(LocalDate::compareTo).orElseThrow();
        List<CustomerSummary> customers = Summaries.of(transactions, end, null, PeriodUnit.WEEK);
        BgNbdFit fit = BgNbdFit.fit(customers);
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = json.createObjectNode();
        card.put("model", "BG/NBD P(alive) fallback: churn score = P(no purchase in the window) = 1 - P(alive) + P(alive) x P(silent | alive)");
        card.put("window_days", windowDays);
        card.put("reason", e.getMessage());
        card.put("transactions", file.getFileName().toString());
        card.put("calibration_end", end.toString());
        card.put("period", "week");
        card.put("r", fit.model().r());
        card.put("alpha", fit.model().alpha());
        card.put("a", fit.model().a());
        card.put("b", fit.model().b());
        card.put("loglik", fit.logLikelihood());
        card.put("customers", customers.size());
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MODEL));
        Files.deleteIfExists(dir.resolve(ModelCard.FILE));
        Files.writeString(dir.resolve(FALLBACK), json.writerWithDefaultPrettyPrinter().writeValueAsString(card));
        err.printf(Locale.ROOT, "churn: fell back to BG/NBD P(alive) (score: no purchase in %d days) on %d customers of %s (r=%.3f alpha=%.3f a=%.3f b=%.3f)%n",
                windowDays, customers.size(), file.getFileName(), fit.model().r(), fit.model().alpha(), fit.model().a(), fit.model().b());
        if (asJson) {
            ObjectNode o = json.createObjectNode();
            o.putNull("auc");
            o.put("rows", rows);
            o.put("features", 0);
            o.put("model_dir", dir.toString());
            o.put("fallback", "bgnbd_p_alive");
            o.put("churned", e.churned());
            o.put("retained", e.retained());
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } else {
            out.println("model        " + dir.resolve(FALLBACK) + " (BG/NBD fallback; score with --transactions)");
        }
        return 0;
    }

    private static int score(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("model-dir", "csv", "id", "transactions"));
        Path dir = Path.of(args.required("model-dir"));
        if (!Files.isDirectory(dir) && !dir.isAbsolute() && Files.isDirectory(root.resolve(dir))) {
            dir = root.resolve(dir);
        }
        Path csv = AnalyticsFiles.existing(args.required("csv"), "csv", root);
        String id = args.string("id", null);
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        if (Files.exists(dir.resolve(FALLBACK)) && !Files.exists(dir.resolve(ModelCard.FILE))) {
            return scoreFallback(dir, csv, id, args.string("transactions", null), root, w);
        }
        if (!Files.exists(dir.resolve(ModelCard.FILE)) || !Files.exists(dir.resolve(MODEL))) {
            throw new UsageException("--model-dir " + dir + " has no " + ModelCard.FILE + " and " + MODEL
                    + " (train one with ./siyu churn train)");
        }
        ModelCard card = ModelCard.fromJson(Files.readString(dir.resolve(ModelCard.FILE)), ModelCard.FILE);
        var model = new XgboostLearner(err::println).load(Files.readAllBytes(dir.resolve(MODEL)));
        Table table = table(csv);
        List<ChurnScoring.Score> scores = ChurnScoring.score(card, model, table, id);
        w.write("id,score\n");
        for (ChurnScoring.Score s : scores) {
            w.write(Csv.quote(s.id()) + "," + String.format(Locale.ROOT, "%.6f", s.score()) + "\n");
        }
        w.flush();
        err.println("churn: scored " + scores.size() + " rows");
        return 0;
    }

    private static int scoreFallback(Path dir, Path csv, String id, String transactionsFile, Path root, Writer w) throws Exception {
        if (transactionsFile == null) {
            throw new UsageException("the model in " + dir + " is the BG/NBD fallback: give --transactions FILE to score");
        }
        var card = new ObjectMapper().readTree(Files.readString(dir.resolve(FALLBACK)));
        BgNbd model = new BgNbd(card.get("r").asDouble(), card.get("alpha").asDouble(), card.get("a").asDouble(), card.get("b").asDouble());
        double window = PeriodUnit.WEEK.fromDays(card.path("window_days").asInt(90));
        List<Transaction> transactions = AnalyticsFiles.transactions(AnalyticsFiles.existing(transactionsFile, "transactions", root));
        LocalDate end = transactions.stream().map(Transaction::date).max(LocalDate::compareTo).orElseThrow();
        java.util.Map<String, CustomerSummary> byId = new java.util.HashMap<>();
        for (CustomerSummary c : Summaries.of(transactions, end, null, PeriodUnit.WEEK)) {
            byId.put(c.customerId(), c);
        }
        Table table = table(csv);
        int idColumn = table.column(id == null ? "customer_id" : id, "--id");
        w.write("id,score\n");
        for (List<String> row : table.rows()) {
            CustomerSummary c = byId.get(row.get(idColumn).trim());
            String score = c == null ? "" : String.format(Locale.ROOT, "%.6f",
                    model.probabilityNoPurchase(window, c.frequency(), c.recency(), c.age()));
            w.write(Csv.quote(row.get(idColumn)) + "," + score + "\n");
        }
        w.flush();
        return 0;
    }

    private static int features(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("transactions", "window-days", "out"));
        Path file = AnalyticsFiles.existing(args.required("transactions"), "transactions", root);
        int window = args.integer("window-days", 90, 1, 3650);
        List<Transaction> transactions = AnalyticsFiles.transactions(file);
        if (transactions.isEmpty()) {
            throw new UsageException(file.getFileName() + " has no transactions");
        }
        LocalDate cutoff = ChurnFeatures.cutoff(transactions, window);
        Table table = ChurnFeatures.of(transactions, cutoff, window);
        long churned = table.rows().stream().filter(r -> r.get(r.size() - 1).equals("yes")).count();
        String outFile = args.string("out", null);
        Writer w = outFile == null ? new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(Path.of(outFile));
        w.write(String.join(",", table.columns()) + "\n");
        for (List<String> row : table.rows()) {
            w.write(String.join(",", row.stream().map(Csv::quote).toList()) + "\n");
        }
        if (outFile == null) {
            w.flush();
        } else {
            w.close();
        }
        err.printf(Locale.ROOT, "churn: %d customers with a purchase by %s; %d churned (no purchase in the %d days to %s)%n",
                table.rows().size(), cutoff, churned, window, cutoff.plusDays(window));
        return 0;
    }
}
