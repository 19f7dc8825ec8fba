package dev.siyu.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The journey queue's dead-letter queue in the simulation: messages received {@link VirtualStepQueue#MAX_RECEIVES}
 * times without success. The simulated on-call operator redrives them as {@code ./siyu dlq redrive}
 * does on AWS: every message back onto the journey queue, once a day and once more at the end.
 */
public final class DeadLetters {
    private final List<VirtualStepQueue.Message> messages = new ArrayList<>();
    private long received;
    private long redriven;

    public synchronized void add(VirtualStepQueue.Message m) {
        messages.add(m);
        received++;
    }

    /** Moves every dead letter back onto the queue; returns how many. */
    public synchronized int redrive(VirtualStepQueue queue) {
        int n = messages.size();
        messages.forEach(queue::redrive);
        messages.clear();
        redriven += n;
        return n;
    }

    public synchronized List<VirtualStepQueue.Message> messages() {
        return List.copyOf(messages);
    }

    public synchronized boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Messages that ever reached the dead letters. */
    public synchronized long received() {
        return received;
    }

    public synchronized long redriven() {
        return redriven;
    }
}
