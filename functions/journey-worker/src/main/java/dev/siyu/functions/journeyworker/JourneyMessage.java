package dev.siyu.functions.journeyworker;

import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.timer.DueStep;

/**
 * What one journey-queue message asks for: a due step (from the step scheduler or the timer sweep) or
 * a trigger (from the callback or the Mini Program). Both share the queue, so the body says which.
 */
public sealed interface JourneyMessage {
    String tenant();

    record Step(DueStep step) implements JourneyMessage {
        @Override
        public String tenant() {
            return step.tenant();
        }
    }

    record Trigger(JourneyTrigger trigger) implements JourneyMessage {
        @Override
        public String tenant() {
            return trigger.tenant();
        }
    }
}
