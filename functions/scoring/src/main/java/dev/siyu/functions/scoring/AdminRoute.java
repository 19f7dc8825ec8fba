package dev.siyu.functions.scoring;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's two routes (template.yaml, AdminApi): {@code POST /admin/customers/{customerId}/score} and
 * {@code POST /admin/scoring/train}. API Gateway has already refused unsigned callers (AWS_IAM); this only reads
 * which route was asked.
 */
sealed interface AdminRoute {
    String SCORE_KEY = "POST /admin/customers/{customerId}/score";
    String TRAIN_KEY = "POST /admin/scoring/train";
    Pattern SCORE_PATH = Pattern.compile("/admin/customers/([^/]+)/score");

    record ScoreCustomer(String customerId) implements AdminRoute { }

    record Train() implements AdminRoute { }

    /**
     * The route of the request; empty for anything else. The path parameter as API Gateway decoded it, else (a
     * gateway that gives none, as ./siyu local's) decoded from the raw path.
     */
    static Optional<AdminRoute> of(ScoringRequest r) {
        String method = r.routeKey() == null ? "POST" : r.routeKey().split(" ", 2)[0];
        if (!method.equals("POST")) {
            return Optional.empty();
        }
        if (TRAIN_KEY.equals(r.routeKey()) || "/admin/scoring/train".equals(r.rawPath())) {
            return Optional.of(new Train());
        }
        String fromApi = r.pathParameters() == null ? null : r.pathParameters().get("customerId");
        if (SCORE_KEY.equals(r.routeKey()) && fromApi != null && !fromApi.isBlank()) {
            return Optional.of(new ScoreCustomer(fromApi));
        }
        Matcher m = SCORE_PATH.matcher(r.rawPath() == null ? "" : r.rawPath());
        if (m.matches()) {
            // A path segment: '+' is a plus, not a space.
            return Optional.of(new ScoreCustomer(URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }
}
