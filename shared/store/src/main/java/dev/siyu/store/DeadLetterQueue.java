package dev.siyu.store;

import java.util.List;

/** A dead-letter queue as {@link DeadLetterRedrive} needs it; SQS in AWS and the local stack. */
public interface DeadLetterQueue {
    /**
     * Up to max messages, hidden from other receivers until {@link #release} or {@link #delete}; may
     * return fewer while more are waiting, and an empty list when none is.
     */
    List<DeadLetter> receive(int max);

    /** Makes a received message visible again at once, unchanged. */
    void release(DeadLetter letter);

    void delete(DeadLetter letter);

    /** Where a dead letter goes back to: its source queue. Throws when it could not be sent. */
    interface Source {
        void send(DeadLetter letter);
    }
}
