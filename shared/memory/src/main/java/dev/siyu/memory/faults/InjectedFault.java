package dev.siyu.memory.faults;

/**
 * A store or queue call that failed as DynamoDB or SQS fail under load: a throttle or an error before
 * the call took effect, or an error (a time-out, a lost response) after it did. The caller cannot tell
 * the two apart, as in production.
 */
public final class InjectedFault extends RuntimeException {
    private final String kind;

    public InjectedFault(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** The fault's kind, as {@link Faults#counts()} names it. */
    public String kind() {
        return kind;
    }
}
