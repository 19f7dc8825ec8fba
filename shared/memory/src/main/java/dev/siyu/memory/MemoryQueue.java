package dev.siyu.memory;

import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The journey queue as a list of what was sent, for callers that read it themselves. */
public final class MemoryQueue implements StepQueue, JourneyQueue {
    /** One sent message: a step with its delay, or a trigger. */
    public record Sent(DueStep step, Duration delay, JourneyTrigger trigger) { }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void send(DueStep step, Duration delay) {
        sent.add(new Sent(step, delay, null));
    }

    @Override
    public synchronized void enqueue(JourneyTrigger trigger) {
        sent.add(new Sent(null, null, trigger));
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }
}
