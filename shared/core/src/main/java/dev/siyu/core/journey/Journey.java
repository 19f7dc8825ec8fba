package dev.siyu.core.journey;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One lifecycle flow from {@code lifecycle_automation} (docs/configuration.md, Journeys): what starts it, its steps,
 * when a customer leaves it early, and the goal whose conversion is counted.
 *
 * @param name    the flow's key, e.g. new_customer_activation
 * @param trigger what starts a run
 * @param steps   in order; each is due at the run's anchor plus its delay
 * @param exitWhen condition text; when it holds before a step, the run ends (e.g. the customer purchased).
 *                 null for none
 * @param goal    the conversion counted for the flow; null for none
 * @param cycles  product category -> consumption cycle, for delays written relative to the cycle
 *                (repurchase_reminder); empty when the flow has none
 * @param defaultCycle the cycle for categories not listed; null when the flow has no cycle
 * @param restart when the trigger fires again while a run is active: true ends the active run and starts
 *                over (a new purchase restarts the repurchase countdown), false ignores the trigger
 * @param anchor  what step delays count from: {@link #ANCHOR_EVENT} (the trigger's time) or
 *                {@link #ANCHOR_LAST_ACTIVITY} (the customer's latest interaction, purchase or add)
 */
public record Journey(String name, String description, Trigger trigger, List<JourneyStep> steps, String exitWhen,
                      Goal goal, Map<String, Duration> cycles, Duration defaultCycle, boolean restart, String anchor) {
    public static final String ANCHOR_EVENT = "event";
    public static final String ANCHOR_LAST_ACTIVITY = "last_activity";

    public Journey {
        anchor = anchor == null ? ANCHOR_EVENT : anchor;
        if (!anchor.equals(ANCHOR_EVENT) && !anchor.equals(ANCHOR_LAST_ACTIVITY)) {
            throw new IllegalArgumentException("anchor must be event or last_activity: " + anchor);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trigger, "trigger");
        steps = List.copyOf(steps);
        cycles = Map.copyOf(cycles);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("journey " + name + " has no steps");
        }
    }

    /** The consumption cycle for a category; empty when the flow has no cycles. */
    public Optional<Duration> cycleFor(String category) {
        if (category != null && cycles.containsKey(category)) {
            return Optional.of(cycles.get(category));
        }
        return Optional.ofNullable(defaultCycle);
    }

    /**
     * What counts as the flow's conversion: the event (e.g. purchase) happening within the window after
     * the run started.
     */
    public record Goal(String event, Duration within) {
        public Goal {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(within, "within");
        }
    }
}
