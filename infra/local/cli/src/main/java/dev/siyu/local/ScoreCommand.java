package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code ./siyu score CUSTOMER_ID} and {@code ./siyu score --train}: the admin API's routes on the running local
 * stack's gateway ({@code ./siyu local}): one customer scored now (the scores written to the profile, the churn
 * journey started above its threshold), or the churn model trained now. Prints the function's JSON.
 */
final class ScoreCommand {
    private ScoreCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        boolean positional = !argv.isEmpty() && !argv.get(0).startsWith("--");
        CliArgs args = CliArgs.parse(positional ? argv.subList(1, argv.size()) : argv, Set.of("train"), Set.of("gateway"));
        if (positional == args.flag("train")) {
            throw new UsageException("score needs a customer id (e.g. wx-wm...) or --train, not both");
        }
        String gateway = args.string("gateway", SendCommand.DEFAULT_GATEWAY);
        String path = positional ? "/admin/customers/" + URLEncoder.encode(argv.get(0), StandardCharsets.UTF_8)
                .replace("+", "%20") + "/score" : "/admin/scoring/train";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> reply;
        try {
            reply = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("siyu: nothing answers at " + gateway + "; start the local stack with ./siyu local");
            return 1;
        }
        if (reply.statusCode() != 200) {
            err.println(reply.statusCode() + " " + reply.body());
            return 1;
        }
        ObjectMapper json = new ObjectMapper();
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(reply.body())));
        return 0;
    }
}
