package dev.siyu.core.callback;

/**
 * What processing a callback did. duplicate: a retry or concurrent copy that had no effect; inProgress:
 * another attempt holds the callback's lease, so this copy must not be answered as processed (WeCom
 * retries a non-success answer, and by then the first attempt has finished or its lease has run out).
 */
public record CallbackOutcome(boolean duplicate, String kind, String customerId, boolean inProgress) {
    public CallbackOutcome(boolean duplicate, String kind, String customerId) {
        this(duplicate, kind, customerId, false);
    }

    public static CallbackOutcome duplicate(String kind) {
        return new CallbackOutcome(true, kind, null, false);
    }

    public static CallbackOutcome inProgress(String kind) {
        return new CallbackOutcome(true, kind, null, true);
    }
}
