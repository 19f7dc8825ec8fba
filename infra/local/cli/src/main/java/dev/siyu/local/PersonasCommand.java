package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.analytics.ltv.Transaction;
import dev.siyu.analytics.personas.BehaviourFeatures;
import dev.siyu.analytics.personas.Persona;
import dev.siyu.analytics.personas.PersonaResult;
import dev.siyu.analytics.personas.Personas;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code ./siyu personas}: behaviour clusters of a transaction file, named and described. */
final class PersonasCommand {
    static final long SEED = 42;

    private PersonasCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of("json"), Set.of("transactions", "k", "as-of"));
        Path file = AnalyticsFiles.existing(args.required("transactions"), "transactions", root);
        int k = args.integer("k", 0, Personas.MIN_K, Personas.MAX_K);
        err.println("personas: reading " + file.getFileName() + " ...");
        List<Transaction> transactions = AnalyticsFiles.transactions(file);
        if (transactions.isEmpty()) {
            throw new UsageException(file.getFileName() + " has no transactions");
        }
        LocalDate asOf = args.string("as-of", null) == null
                ? transactions.stream().map(Transaction::date).max(LocalDate::compareTo).orElseThrow()
                : AnalyticsFiles.date(args.string("as-of", null), "as-of");
        List<BehaviourFeatures> features = BehaviourFeatures.of(transactions, asOf);
        err.printf(Locale.ROOT, "personas: %,d customers as of %s; clustering ...%n", features.size(), asOf);
        PersonaResult result;
        try {
            result = new Personas(SEED, err::println).cluster(features, k);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (args.flag("json")) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode o = json.createObjectNode();
            o.put("customers", features.size());
            o.put("as_of", asOf.toString());
            o.put("k", result.k());
            ObjectNode s = o.putObject("silhouette");
            for (Map.Entry<Integer, Double> e : result.silhouetteByK().entrySet()) {
                s.put(String.valueOf(e.getKey()), e.getValue());
            }
            ArrayNode a = o.putArray("personas");
            for (Persona p : result.personas()) {
                ObjectNode n = a.addObject();
                n.put("cluster", p.cluster());
                n.put("name", p.name());
                n.put("size", p.customers());
                n.put("share", p.share());
                n.put("description", p.description());
                ObjectNode t = n.putObject("typical");
                t.put("recency_days", p.recencyDays());
                t.put("purchases_per_30_days", p.purchasesPer30Days());
                t.put("average_order", p.averageOrder());
                t.put("tenure_days", p.tenureDays());
                t.put("spend_variation", p.spendVariation());
            }
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return 0;
        }
        out.printf(Locale.ROOT, "%d customers as of %s: %d personas%s%n", features.size(), asOf, result.k(),
                result.silhouetteByK().isEmpty() ? " (k given)"
                        : String.format(Locale.ROOT, " (highest mean silhouette %.3f over k=%d..%d)",
                        result.silhouetteByK().get(result.k()), Personas.MIN_K, Personas.MAX_K));
        for (Persona p : result.personas()) {
            out.printf(Locale.ROOT, "%n%-20s %5d customers%n  %s%n", p.name(), p.customers(), p.description());
        }
        return 0;
    }
}
