package dev.siyu.core.config;

import dev.siyu.core.journey.Action;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.JourneyStep;
import dev.siyu.core.journey.Trigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code lifecycle_automation}: one journey per key. Validates what the engine relies on: a trigger
 * it can fire, delays it can schedule in order, cycle delays only where cycles exist, actions with
 * their fields, and conditions that compile.
 */
final class JourneyReader {
    static final List<String> JOURNEY_KEYS = List.of("description", "trigger", "anchor", "restart", "exit_when",
            "goal", "consumption_cycles", "default_cycle", "features", "steps");
    static final List<String> TRIGGER_KEYS = List.of("event", "when", "condition", "score", "above", "prose");
    static final List<String> GOAL_KEYS = List.of("event", "within");
    static final List<String> STEP_KEYS = List.of("delay", "condition", "label", "action");
    /** The events the callback and the Mini Program report (see {@link Trigger}). */
    static final List<String> EVENTS = List.of("contact_added", "purchase", "first_purchase", "tag_added",
            "joined_group", "left_group", "reply");
    /** Scores the daily rules refresh: name -> the customer fact holding it. */
    static final Map<String, String> SCORES = Map.of("churn", "churn_score");
    static final List<String> ANCHORS = List.of(Journey.ANCHOR_EVENT, Journey.ANCHOR_LAST_ACTIVITY);
    // The name is part of run keys (J#<journey>#<runId>), so '#' and friends stay out.
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final ProblemLog log;
    private final ConditionCheck conditions;
    private final Declared declared;
    private final ActionReader actions;

    JourneyReader(ProblemLog log, ConditionCheck conditions, Declared declared) {
        this.log = log;
        this.conditions = conditions;
        this.declared = declared;
        this.actions = new ActionReader(log, declared);
    }

    List<Journey> read(YamlMap section) {
        List<Journey> journeys = new ArrayList<>();
        for (String name : section.keys()) {
            if (!NAME.matcher(name).matches()) {
                log.add(section.keyAt(name), "journey name '" + name + "' must be 1-64 lowercase letters, digits or"
                        + " '_', starting with a letter (it is part of every run's key)");
            }
            section.map(name, true).flatMap(item -> journey(name, item)).ifPresent(journeys::add);
        }
        return journeys;
    }

    private Optional<Journey> journey(String name, YamlMap item) {
        item.allowOnly(JOURNEY_KEYS);
        Optional<String> description = item.string("description", false);
        Optional<Trigger> trigger = item.map("trigger", true).flatMap(this::trigger);
        Optional<String> anchor = item.choice("anchor", false, "anchor", ANCHORS);
        Optional<Boolean> restart = item.bool("restart");
        Optional<String> exitWhen = conditions.read(item, "exit_when", false);
        Optional<Journey.Goal> goal = item.map("goal", false).flatMap(this::goal);
        Map<String, Duration> cycles = cycles(item);
        Optional<Duration> defaultCycle = item.string("default_cycle", false)
                .flatMap(text -> length(item, "default_cycle", text));
        item.strings("features", false); // documentation only: checked to be a list, kept nowhere
        boolean hasCycles = item.has("consumption_cycles") || item.has("default_cycle");

        List<YamlMap> stepItems = item.maps("steps", true).orElse(null);
        if (stepItems == null) {
            return Optional.empty();
        }
        if (stepItems.isEmpty()) {
            log.add(item.at("steps"), "a journey needs at least one step");
            return Optional.empty();
        }
        List<ReadStep> steps = new ArrayList<>();
        for (YamlMap stepItem : stepItems) {
            step(stepItem, hasCycles).ifPresent(steps::add);
        }
        boolean complete = steps.size() == stepItems.size();
        if (complete) {
            checkOrder(steps, cycles, defaultCycle.orElse(null));
        }
        if (!complete || trigger.isEmpty() || (item.has("anchor") && anchor.isEmpty())
                || (item.has("restart") && restart.isEmpty()) || (item.has("exit_when") && exitWhen.isEmpty())
                || (item.has("goal") && goal.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new Journey(name, description.orElse(null), trigger.get(),
                steps.stream().map(ReadStep::step).toList(), exitWhen.orElse(null), goal.orElse(null), cycles,
                defaultCycle.orElse(null), restart.orElse(false), anchor.orElse(Journey.ANCHOR_EVENT)));
    }

    /** Exactly one of event (with an optional when filter), condition, or score with above. */
    private Optional<Trigger> trigger(YamlMap t) {
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

    private Optional<Journey.Goal> goal(YamlMap g) {
        g.allowOnly(GOAL_KEYS);
        Optional<String> event = g.choice("event", true, "event", EVENTS);
        Optional<Duration> within = g.string("within", true).flatMap(text -> length(g, "within", text));
        if (event.isEmpty() || within.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Journey.Goal(event.get(), within.get()));
    }

    /** consumption_cycles: product category (a declared tag) -> cycle length. */
    private Map<String, Duration> cycles(YamlMap item) {
        Map<String, Duration> cycles = new LinkedHashMap<>();
        Optional<YamlMap> section = item.map("consumption_cycles", false);
        if (section.isEmpty()) {
            return cycles;
        }
        if (section.get().keys().isEmpty()) {
            log.add(item.at("consumption_cycles"), "consumption_cycles needs at least one category: cycle line"
                    + " (or leave it out and set default_cycle)");
        }
        for (String category : section.get().keys()) {
            declared.checkTag(new YamlMap.Item(category, section.get().keyAt(category)), log);
            section.get().string(category, true).flatMap(text -> length(section.get(), category, text))
                    .ifPresent(d -> cycles.put(category, d));
        }
        return cycles;
    }

    private Optional<ReadStep> step(YamlMap s, boolean hasCycles) {
        s.allowOnly(STEP_KEYS);
        Optional<String> delayText = s.string("delay", true);
        Optional<Delay> delay = delayText.flatMap(text -> {
            Optional<Delay> parsed = Delay.parse(text);
            if (parsed.isEmpty()) {
                log.add(s.at("delay"), Delay.problem(text, hasCycles));
            } else if (parsed.get().fromCycle() && !hasCycles) {
                log.add(s.at("delay"), "'" + text + "' counts from the consumption cycle, but this journey declares"
                        + " none; add consumption_cycles or default_cycle");
                return Optional.empty();
            }
            return parsed;
        });
        Optional<String> condition = conditions.read(s, "condition", false);
        Optional<String> label = s.string("label", false);
        Optional<Action> action = s.map("action", true).flatMap(actions::read);
        if (delay.isEmpty() || action.isEmpty() || (s.has("condition") && condition.isEmpty())) {
            return Optional.empty();
        }
        String shown = label.orElse(delayText.get().trim() + ": " + action.get().type());
        return Optional.of(new ReadStep(new JourneyStep(shown, delay.get().offset(), delay.get().fromCycle(),
                condition.orElse(null), action.get()), delayText.get().trim(), s.at("delay")));
    }

    /**
     * Steps run one after another, so each must be due no earlier than the one before, for every cycle
     * a customer can have; a cycle-relative step must also fall after the purchase that started the run.
     */
    private void checkOrder(List<ReadStep> steps, Map<String, Duration> cycles, Duration defaultCycle) {
        Map<Duration, String> cycleNames = new LinkedHashMap<>();
        cycles.forEach((category, d) -> cycleNames.putIfAbsent(d, "the " + Delay.format(d) + " cycle of " + category));
        if (defaultCycle != null) {
            cycleNames.putIfAbsent(defaultCycle, "the " + Delay.format(defaultCycle) + " default_cycle");
        }
        if (cycleNames.isEmpty()) {
            cycleNames.put(Duration.ZERO, "");
        }
        boolean[] reported = new boolean[steps.size()];
        for (Map.Entry<Duration, String> cycle : cycleNames.entrySet()) {
            for (int i = 0; i < steps.size(); i++) {
                if (reported[i]) {
                    continue;
                }
                JourneyStep step = steps.get(i).step();
                Duration due = due(step, cycle.getKey());
                boolean cycleMatters = step.fromCycle() || (i > 0 && steps.get(i - 1).step().fromCycle());
                String with = cycleMatters ? " with " + cycle.getValue() : "";
                if (step.fromCycle() && due.isNegative()) {
                    log.add(steps.get(i).where(), "'" + steps.get(i).text() + "' falls before the run starts" + with);
                    reported[i] = true;
                } else if (i > 0 && due.compareTo(due(steps.get(i - 1).step(), cycle.getKey())) < 0) {
                    log.add(steps.get(i).where(), "step " + (i + 1) + " ('" + steps.get(i).text() + "') is due before"
                            + " step " + i + " ('" + steps.get(i - 1).text() + "')" + with + "; list steps in the"
                            + " order they are due");
                    reported[i] = true;
                }
            }
        }
    }

    private static Duration due(JourneyStep step, Duration cycle) {
        return step.fromCycle() ? cycle.plus(step.delay()) : step.delay();
    }

    /** A positive length (cycles, goal windows): no cycle forms, no zero. */
    private Optional<Duration> length(YamlMap map, String key, String text) {
        Optional<Duration> d = Delay.amount(text);
        if (d.isEmpty()) {
            log.add(map.at(key), Delay.problem(text, false));
        } else if (d.get().isZero()) {
            log.add(map.at(key), key + " must be longer than " + text.trim());
            return Optional.empty();
        }
        return d;
    }

    /** A read step with its delay as written and where, for the order check's messages. */
    private record ReadStep(JourneyStep step, String text, Where where) { }
}
