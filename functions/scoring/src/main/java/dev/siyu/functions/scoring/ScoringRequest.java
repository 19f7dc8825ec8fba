package dev.siyu.functions.scoring;

import java.util.Map;

/**
 * One invocation. Invoked directly: {@code {"customerId": "..."}} scores that customer now; {@code {"job": ...}} runs
 * a scoring job of the catalog ({@code train-churn}, {@code score-customers}); {@code {"train": true}} trains now.
 * Through the admin API: an HTTP API payload 2.0 event, of which only the route is read ({@link AdminRoute}).
 */
public record ScoringRequest(String customerId, String job, Boolean train, String routeKey, String rawPath,
                             Map<String, String> pathParameters) {
    /** An admin API request rather than a direct invocation. */
    boolean http() {
        return routeKey != null || rawPath != null;
    }
}
