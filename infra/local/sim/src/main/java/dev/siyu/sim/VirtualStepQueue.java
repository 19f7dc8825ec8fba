package dev.siyu.sim;

import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepQueue;
import dev.siyu.memory.faults.Faults;
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
 * (one body per step or trigger, delivery at or after its delay) is kept, and so is what SQS does when
 * its consumer fails (template.yaml's JourneyQueue): a message whose handling failed comes back after
 * the {@link #VISIBILITY_TIMEOUT}, and after {@link #MAX_RECEIVES} receives it goes to the dead letters.
 * With faults on, deliveries are also duplicated, delayed and reordered, as a standard queue may.
 */
public final class VirtualStepQueue implements StepQueue, JourneyQueue {
    /** JourneyQueue's VisibilityTimeout in template.yaml. */
    public static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(180);
    /** JourneyQueue's RedrivePolicy maxReceiveCount in template.yaml. */
    public static final int MAX_RECEIVES = 5;
    /** A duplicate arrives within this of the original (SQS gives no bound; a few minutes is common). */
    private static final int DUPLICATE_WITHIN_SECONDS = 300;
    /** A delayed delivery arrives up to this late. */
    private static final int DELAY_UP_TO_SECONDS = 900;

    /**
     * One queued body: a step or a trigger.
     *
     * @param receives how often it was received so far (a redriven message starts again at 0)
     */
    public record Message(Instant visibleAt, long seq, DueStep step, JourneyTrigger trigger, int receives) {
        public Message(Instant visibleAt, long seq, DueStep step, JourneyTrigger trigger) {
            this(visibleAt, seq, step, trigger, 0);
        }

        /** The customer the body is about. */
        public String customerId() {
            return step != null ? step.customerId() : trigger.customerId();
        }
    }

    private final Clock clock;
    private final Faults faults;
    private final PriorityQueue<Message> messages = new PriorityQueue<>(
            (a, b) -> a.visibleAt().equals(b.visibleAt()) ? Long.compare(a.seq(), b.seq()) : a.visibleAt().compareTo(b.visibleAt()));
    private long seq;
    private long sent;

    public VirtualStepQueue(Clock clock) {
        this(clock, Faults.none());
    }

    /** @param faults draws the duplicated, delayed and reordered deliveries */
    public VirtualStepQueue(Clock clock, Faults faults) {
        this.clock = clock;
        this.faults = faults;
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

    /**
     * Every message visible now, in order; each counts one receive and is in flight: it is gone once
     * handled, unless handed to {@link #failed}. With faults, a message may be delivered twice (a copy
     * comes again within minutes), later (it stays invisible for up to 15 minutes more), or after the
     * one behind it.
     */
    public synchronized List<Message> receiveVisible() {
        Instant now = clock.instant();
        List<Message> out = new ArrayList<>();
        List<Message> later = new ArrayList<>();
        List<Integer> swaps = new ArrayList<>();
        while (!messages.isEmpty() && !messages.peek().visibleAt().isAfter(now)) {
            Message m = messages.poll();
            if (faults.strikes()) {
                switch (faults.pick(3)) {
                    case 0 -> {
                        faults.count(Faults.QUEUE_DUPLICATE);
                        later.add(new Message(now.plusSeconds(faults.pick(DUPLICATE_WITHIN_SECONDS)), seq++, m.step(),
                                m.trigger(), m.receives()));
                    }
                    case 1 -> {
                        faults.count(Faults.QUEUE_DELAYED);
                        later.add(new Message(now.plusSeconds(1 + faults.pick(DELAY_UP_TO_SECONDS)), m.seq(), m.step(),
                                m.trigger(), m.receives()));
                        continue;
                    }
                    default -> swaps.add(out.size());
                }
            }
            out.add(new Message(m.visibleAt(), m.seq(), m.step(), m.trigger(), m.receives() + 1));
        }
        for (int i : swaps) {
            if (i + 1 < out.size()) {
                faults.count(Faults.QUEUE_REORDERED);
                out.set(i, out.set(i + 1, out.get(i)));
            }
        }
        messages.addAll(later);
        return out;
    }

    /**
     * Its handler failed (threw, or its instance died): visible again after the visibility timeout,
     * or a dead letter once it was received {@link #MAX_RECEIVES} times.
     *
     * @return true when it went to the dead letters
     */
    public synchronized boolean failed(Message m, DeadLetters deadLetters) {
        if (m.receives() >= MAX_RECEIVES) {
            deadLetters.add(m);
            return true;
        }
        messages.add(new Message(clock.instant().plus(VISIBILITY_TIMEOUT), m.seq(), m.step(), m.trigger(), m.receives()));
        return false;
    }

    /** A dead letter back on the queue, visible now, its receive count started again (SQS's redrive). */
    public synchronized void redrive(Message m) {
        messages.add(new Message(clock.instant(), seq++, m.step(), m.trigger(), 0));
    }

    public synchronized Optional<Instant> nextVisible() {
        return messages.isEmpty() ? Optional.empty() : Optional.of(messages.peek().visibleAt());
    }

    /** Every message on the queue, visible or not (in flight after a failure, delayed). */
    public synchronized List<Message> waiting() {
        return new ArrayList<>(messages);
    }

    public synchronized long sent() {
        return sent;
    }
}
