package dev.siyu.functions.journeyworker;

import java.util.Objects;

/** One SQS record as the worker sees it: the id Lambda reports failures by, and the body. */
public record QueueMessage(String messageId, String body) {
    public QueueMessage {
        Objects.requireNonNull(messageId, "messageId");
    }
}
