package dev.siyu.core.journey;

import java.util.Objects;

/**
 * What starts a journey run.
 * <ul>
 *   <li>EVENT: something happened to the customer: contact_added, purchase, first_purchase,
 *       tag_added, joined_group, left_group, reply. {@code condition} (optional) filters, e.g.
 *       {@code event.group_type == "Welcome Perks Group"}.</li>
 *   <li>CONDITION: a condition over the customer that becomes true, checked by the daily rules job
 *       (e.g. 30 days without interaction or purchase). A customer whose condition still holds is not
 *       started again while a run is active.</li>
 *   <li>SCORE: a score crossing a threshold ({@code condition} is then e.g.
 *       {@code customer.churn_score > 0.7}), checked whenever scores are refreshed.</li>
 * </ul>
 *
 * @param prose the trigger in the operator's words, as reports show it
 */
public record Trigger(Kind kind, String event, String condition, String prose) {
    public enum Kind { EVENT, CONDITION, SCORE }

    public Trigger {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.EVENT && (event == null || event.isBlank())) {
            throw new IllegalArgumentException("an event trigger names its event");
        }
        if (kind != Kind.EVENT && (condition == null || condition.isBlank())) {
            throw new IllegalArgumentException("a " + kind + " trigger needs its condition");
        }
    }

    public boolean firesOn(String eventKind) {
        return kind == Kind.EVENT && event.equals(eventKind);
    }
}
