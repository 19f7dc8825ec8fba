package dev.siyu.core.callback;

/** What processing a callback did; duplicate means a retry or concurrent copy that had no effect. */
public record CallbackOutcome(boolean duplicate, String kind, String customerId) {
    public static CallbackOutcome duplicate(String kind) {
        return new CallbackOutcome(true, kind, null);
    }
}
