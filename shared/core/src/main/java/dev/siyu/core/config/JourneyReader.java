package dev.siyu.core.config;

import dev.siyu.core.journey.Action;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.JourneyStep;
import dev.siyu.core.journey.Trigger;
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
            "goal", "consumption_cycles", "default_cycle", "features", "training", "steps");
    static final List<String> GOAL_KEYS = List.of("event", "within");
    static final List<String> STEP_KEYS = List.of("delay", "condition", "label", "action");
    static final List<String> ANCHORS = List.of(Journey.ANCHOR_EVENT, Journey.ANCHOR_LAST_ACTIVITY);
    // The name is part of run keys (J#<journey>#<runId>), so '#' and friends stay out.
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final ProblemLog log;
    private final ConditionCheck conditions;
    private final Declared declared;
    private final ActionReader actions;
    private final TriggerReader triggers;

    JourneyReader(ProblemLog log, ConditionCheck conditions, Declared declared) {
        this.log = log;
        this.conditions = conditions;
        this.declared = declared;
        this.actions = new ActionReader(log, declared);
        this.triggers = new TriggerReader(log, conditions);
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
        Optional<Trigger> trigger = item.map("trigger", true).flatMap(triggers::read);
        Optional<String> anchor = item.choice("anchor", false, "anchor", ANCHORS);
        Optional<Boolean> restart = item.bool("restart");
        Optional<String> exitWhen = conditions.read(item, "exit_when", false);
        Optional<Journey.Goal> goal = item.map("goal", false).flatMap(this::goal);
        Map<String, Duration> cycles = cycles(item);
        Optional<Duration> defaultCycle = item.string("default_cycle", false)
                .flatMap(text -> length(item, "default_cycle", text));
        item.strings("features", false); // documentation only: checked to be a list, kept nowhere
        if (item.has("training") && !ScoringSettingsReader.CHURN_JOURNEY.equals(name)) {
            log.add(item.keyAt("training"), "training settings belong to " + ScoringSettingsReader.CHURN_JOURNEY
                    + " (the journey the churn score starts)");
        }
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

    private Optional<Journey.Goal> goal(YamlMap g) {
        g.allowOnly(GOAL_KEYS);
        Optional<String> event = g.choice("event", true, "event", TriggerReader.EVENTS);
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
