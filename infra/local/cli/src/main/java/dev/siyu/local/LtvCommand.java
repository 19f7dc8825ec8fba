package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.analytics.ltv.CustomerSummary;
import dev.siyu.analytics.ltv.CustomerValue;
import dev.siyu.analytics.ltv.LtvModel;
import dev.siyu.analytics.ltv.LtvTier;
import dev.siyu.analytics.ltv.PeriodUnit;
import dev.siyu.analytics.ltv.Summaries;
import dev.siyu.analytics.ltv.Transaction;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.UsageException;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./siyu ltv fit}: BG/NBD and Gamma-Gamma on a transaction file, the holdout check, and (with
 * {@code --values FILE}) every customer's P(alive), 12-month CLV and LTV tier as CSV.
 */
final class LtvCommand {
    private LtvCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        if (argv.isEmpty() || !argv.get(0).equals("fit")) {
            throw new UsageException("ltv needs a subcommand: fit");
        }
        CliArgs args = CliArgs.parse(argv.subList(1, argv.size()), Set.of("json"),
                Set.of("transactions", "calibration-end", "holdout-end", "period", "values"));
        Path file = AnalyticsFiles.existing(args.required("transactions"), "transactions", root);
        LocalDate calibrationEnd = AnalyticsFiles.date(args.required("calibration-end"), "calibration-end");
        LocalDate holdoutEnd = args.string("holdout-end", null) == null ? null
                : AnalyticsFiles.date(args.string("holdout-end", null), "holdout-end");
        if (holdoutEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
            throw new UsageException("--holdout-end must be after --calibration-end");
        }
        PeriodUnit unit;
        try {
            unit = PeriodUnit.parse(args.string("period", "week"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

        err.println("ltv: reading " + file.getFileName() + " ...");
        List<Transaction> transactions = AnalyticsFiles.transactions(file);
        List<CustomerSummary> customers = Summaries.of(transactions, calibrationEnd, holdoutEnd, unit);
        if (customers.isEmpty()) {
            throw new UsageException("no customer bought on or before --calibration-end " + calibrationEnd);
        }
        err.printf(Locale.ROOT, "ltv: %,d transactions, %,d customers by %s; fitting BG/NBD and Gamma-Gamma ...%n",
                transactions.size(), customers.size(), calibrationEnd);
        long started = System.nanoTime();
        LtvModel model = LtvModel.fit(customers, unit);
        double seconds = (System.nanoTime() - started) / 1e9;

        Double predicted = null;
        Integer actual = null;
        if (holdoutEnd != null) {
            double length = unit.fromDays(ChronoUnit.DAYS.between(calibrationEnd, holdoutEnd));
            predicted = model.expectedHoldoutPurchases(customers, length);
            actual = customers.stream().mapToInt(CustomerSummary::holdout).sum();
        }
        List<CustomerValue> values = model.values(customers, LtvModel.DEFAULT_MONTHS, LtvModel.DEFAULT_MONTHLY_DISCOUNT);
        Map<LtvTier, Integer> tiers = new EnumMap<>(LtvTier.class);
        for (CustomerValue v : values) {
            tiers.merge(v.tier(), 1, Integer::sum);
        }
        String valuesFile = args.string("values", null);
        if (valuesFile != null) {
            writeValues(Path.of(valuesFile), values);
            err.println("ltv: wrote " + values.size() + " customers' values to " + valuesFile);
        }

        if (args.flag("json")) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode o = json.createObjectNode();
            o.put("customers", customers.size());
            ObjectNode bg = o.putObject("bgnbd");
            bg.put("r", model.purchases().model().r());
            bg.put("alpha", model.purchases().model().alpha());
            bg.put("a", model.purchases().model().a());
            bg.put("b", model.purchases().model().b());
            bg.put("loglik", model.purchases().logLikelihood());
            if (model.spend() == null) {
                o.putNull("gammagamma");
            } else {
                ObjectNode gg = o.putObject("gammagamma");
                gg.put("p", model.spend().model().p());
                gg.put("q", model.spend().model().q());
                gg.put("v", model.spend().model().v());
                gg.put("customers", model.spend().customers());
            }
            if (predicted != null) {
                ObjectNode h = o.putObject("holdout");
                h.put("predicted", predicted);
                h.put("actual", actual);
            }
            o.put("period", unit.name().toLowerCase(Locale.ROOT));
            ObjectNode t = o.putObject("tiers");
            for (LtvTier tier : LtvTier.values()) {
                t.put(tier.label(), tiers.getOrDefault(tier, 0));
            }
            o.put("fit_seconds", seconds);
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return 0;
        }
        String u = unit.name().toLowerCase(Locale.ROOT);
        out.printf(Locale.ROOT, "customers    %d (first purchase on or before %s; unit: %s)%n", customers.size(), calibrationEnd, u);
        var bg = model.purchases();
        out.printf(Locale.ROOT, "BG/NBD       r=%.4f alpha=%.4f a=%.4f b=%.4f  log-likelihood=%.2f%n",
                bg.model().r(), bg.model().alpha(), bg.model().a(), bg.model().b(), bg.logLikelihood());
        if (model.spend() == null) {
            out.println("Gamma-Gamma  not fitted: fewer than 2 customers bought again");
        } else {
            var gg = model.spend();
            out.printf(Locale.ROOT, "Gamma-Gamma  p=%.4f q=%.4f v=%.4f  (%d customers with repeat purchases; mean spend %.2f)%n",
                    gg.model().p(), gg.model().q(), gg.model().v(), gg.customers(), gg.model().populationMean());
        }
        if (predicted != null) {
            out.printf(Locale.ROOT, "holdout      %s..%s: predicted %.1f repeat purchase days, actual %d (%+.1f%%)%n",
                    calibrationEnd.plusDays(1), holdoutEnd, predicted, actual, 100 * (predicted - actual) / Math.max(actual, 1));
        }
        out.printf(Locale.ROOT, "LTV tiers    top %d, high %d, medium %d, low %d  (12-month CLV, 1%%/month discount)%n",
                tiers.getOrDefault(LtvTier.TOP, 0), tiers.getOrDefault(LtvTier.HIGH, 0),
                tiers.getOrDefault(LtvTier.MEDIUM, 0), tiers.getOrDefault(LtvTier.LOW, 0));
        out.printf(Locale.ROOT, "fit time     %.2f s%n", seconds);
        return 0;
    }

    private static void writeValues(Path file, List<CustomerValue> values) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("customer_id,p_alive,expected_purchases_12m,expected_spend,clv_12m,ltv_tier\n");
            for (CustomerValue v : values) {
                w.write(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.2f,%.2f,%s%n", v.customerId(), v.probabilityAlive(),
                        v.expectedPurchases(), v.expectedSpend(), v.clv(), v.tier().label()));
            }
        }
    }
}
