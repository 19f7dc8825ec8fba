package dev.siyu.functions.scoring;

/**
 * One invocation: {@code {"customerId": "..."}} scores that customer now; {@code {"job": "score-customers"}} is
 * the nightly job; {@code {"train": true}} trains now.
 */
public record ScoringRequest(String customerId, String job, Boolean train) {
}
