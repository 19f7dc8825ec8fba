package dev.siyu.sim;

import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The journey queue on the virtual clock: DelaySeconds measured in virtual time. SQS's delays run on
 * the wall clock, so a simulation of 30 days cannot wait for them; everything else about a message
 * (one body per step or trigger, delivery at or after its delay) is kept.
 */
public final class VirtualStepQueue implements StepQueue, JourneyQueue {
    /** One queued body: a step or a trigger. */
    public record Message(Instant visibleAt, long seq, DueStep step, JourneyTrigger trigger) { }

    private final Clock clock;
    private final PriorityQueue<Message> messages = new PriorityQueue<>(
            (a, b) -> a.visibleAt().equals(b.visibleAt()) ? Long.compare(a.seq(), b.seq()) : a.visibleAt().compareTo(b.visibleAt()));
    private long seq;
    private long sent;

    public VirtualStepQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void send(DueStep step, Duration delay) {
        messages.add(new Message(clock.instant().plus(delay), seq++, step, null));
        sent++;
    }

    @Override
    public synchronized void enqueue(JourneyTrigger trigger) {
        messages.add(new Message(clock.instant(), seq++, null, trigger));
        sent++;
    }

    /** Every message visible now, in order; they leave the queue. */
    public synchronized List<Message> receiveVisible() {
        Instant now = clock.instant();
        List<Message> out = new ArrayList<>();
        while (!messages.isEmpty() && !messages.peek().visibleAt().isAfter(now)) {
            out.add(messages.poll());
        }
        return out;
    }

    public synchronized Optional<Instant> nextVisible() {
        return messages.isEmpty() ? Optional.empty() : Optional.of(messages.peek().visibleAt());
    }

    public synchronized long sent() {
        return sent;
    }
}
