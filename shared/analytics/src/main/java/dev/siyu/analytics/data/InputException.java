package dev.siyu.analytics.data;

/** A file the analytics cannot read, named with the line and the reason, so the CLI can say it without a stack trace. */
public final class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }
}
