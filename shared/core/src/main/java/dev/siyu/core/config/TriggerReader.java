package dev.siyu.core.config;

import dev.siyu.core.journey.Trigger;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A journey's {@code trigger}: what starts a run (an event, a condition, or a score above a threshold). */
final class TriggerReader {
    static final List<String> TRIGGER_KEYS = List.of("event", "when", "condition", "score", "above", "prose");
    /** The events the callback and the Mini Program report (see {@link Trigger}). */
    static final List<String> EVENTS = List.of("contact_added", "purchase", "first_purchase", "tag_added",
            "joined_group", "left_group", "reply", "store_visit");
    /** Scores the daily rules refresh: name -> the customer fact holding it. */
    static final Map<String, String> SCORES = Map.of("churn", "churn_score");

    private final ProblemLog log;
    private final ConditionCheck conditions;

    TriggerReader(ProblemLog log, ConditionCheck conditions) {
        this.log = log;
        this.conditions = conditions;
    }

    /** Exactly one of event (with an optional when filter), condition, or score with above. */
    Optional<Trigger> read(YamlMap t) {
        t.allowOnly(TRIGGER_KEYS);
        List<String> kinds = List.of("event", "condition", "score").stream().filter(t::has).toList();
        if (kinds.size() != 1) {
            log.add(t.where(), kinds.isEmpty()
                    ? "a trigger needs one of event:, condition: or score: (with above:)"
                    : "a trigger has one of event:, condition: or score:, not " + String.join(" and ", kinds));
            return Optional.empty();
        }
        Optional<String> prose = t.string("prose", false);
        if (t.has("when") && !kinds.get(0).equals("event")) {
            log.add(t.at("when"), "when: filters an event trigger; put the whole test in condition:");
        }
        if (t.has("above") && !kinds.get(0).equals("score")) {
            log.add(t.at("above"), "above: belongs to a score: trigger");
        }
        switch (kinds.get(0)) {
            case "event": {
                Optional<String> event = t.choice("event", true, "event", EVENTS);
                Optional<String> when = conditions.read(t, "when", false);
                if (event.isEmpty() || (t.has("when") && when.isEmpty())) {
                    return Optional.empty();
                }
                // the filter travels in the trigger's condition (Trigger's javadoc)
                String words = prose.orElse(event.get() + when.map(w -> " when " + w).orElse(""));
                return Optional.of(new Trigger(Trigger.Kind.EVENT, event.get(), when.orElse(null), words));
            }
            case "condition":
                return conditions.read(t, "condition", true)
                        .map(c -> new Trigger(Trigger.Kind.CONDITION, null, c, prose.orElse(c)));
            default:
                return score(t, prose);
        }
    }

    /** {score: churn, above: 0.7} becomes the condition customer.churn_score > 0.7. */
    private Optional<Trigger> score(YamlMap t, Optional<String> prose) {
        Optional<String> score = t.choice("score", true, "score", List.copyOf(SCORES.keySet()));
        Optional<BigDecimal> above = t.string("above", true).flatMap(a -> {
            BigDecimal value;
            try {
                value = new BigDecimal(a.trim());
            } catch (NumberFormatException e) {
                log.add(t.at("above"), "above must be a probability such as 0.7, got '" + a + "'");
                return Optional.empty();
            }
            if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) >= 0) {
                log.add(t.at("above"), "above " + a + " is outside 0..1 (scores are probabilities; 0.7 for 70%)");
                return Optional.empty();
            }
            return Optional.of(value);
        });
        if (score.isEmpty() || above.isEmpty()) {
            return Optional.empty();
        }
        // plain digits, so ".7" or "7E-1" in the YAML still make a literal CEL reads as written
        String condition = "customer." + SCORES.get(score.get()) + " > " + above.get().toPlainString();
        return Optional.of(new Trigger(Trigger.Kind.SCORE, null, condition,
                prose.orElse(score.get() + " score > " + above.get().toPlainString())));
    }
}
