package dev.siyu.store;

import java.time.Instant;
import java.util.Map;

/**
 * One message parked in a dead-letter queue, as an operator sees it.
 *
 * @param id            the queue's message id (stable across receives)
 * @param handle        the receipt handle of the receive that produced this view; what delete needs
 * @param firstReceived when the message was first received, i.e. its first failed attempt; null if unknown
 * @param receives      how often it was received, its failed attempts included
 * @param body          the message as it was sent
 * @param attributes    its string message attributes (e.g. the journey trigger's kind)
 */
public record DeadLetter(String id, String handle, Instant firstReceived, int receives, String body,
                         Map<String, String> attributes) {
    public DeadLetter {
        attributes = Map.copyOf(attributes);
    }
}
