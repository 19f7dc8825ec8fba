package dev.siyu.core.timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Hands a step to journey-worker after a delay of at most {@link #MAX_DELAY} (SQS DelaySeconds). */
public interface StepQueue {
    Duration MAX_DELAY = Duration.ofMinutes(15);

    void send(DueStep step, Duration delay);

    /**
     * Sends many at once; returns the ones the queue did not accept, so the caller can keep them
     * instead of losing them. Adapters with a batch API override this.
     */
    default List<Delayed> sendAll(List<Delayed> steps) {
        List<Delayed> failed = new ArrayList<>();
        for (Delayed d : steps) {
            try {
                send(d.step(), d.delay());
            } catch (RuntimeException e) {
                failed.add(d);
            }
        }
        return failed;
    }

    record Delayed(DueStep step, Duration delay) {
        public Delayed {
            Objects.requireNonNull(step, "step");
            if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("delay must be within 0..15 min: " + delay);
            }
        }
    }
}
