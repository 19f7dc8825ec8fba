package dev.siyu.core.miniapp;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One member's subscriptions to one template with everything a change needs, so both stores apply the same rules:
 * each change is computed here from the state read and written back conditionally on {@code version}.
 *
 * @param remaining messages the member still allows (what we count)
 * @param accepts   accepts ever recorded: a 43101 sets the count to the accepts that came after the refused touch
 *                  took its message, so a fresh accept made while WeChat answered is not wiped
 * @param held      the touches that took a message and have no answer from WeChat yet, with when and at which
 *                  {@code accepts}; WeChat's answer (a refusal) removes the touch in the same write as the count
 * @param answers   the request ids of the member's answers, so a double tap or a retried request counts once
 * @param version   the stored version the state was read at (0: not stored)
 */
public record SubscriptionState(String templateId, int remaining, long accepts, String lastResult, Instant at,
                                Map<String, Held> held, Map<String, Instant> answers, long version) {
    /**
     * Most messages a member can bank with one template. WeChat counts one per accept, but our count comes from
     * what the Mini Program reports (WeChat offers no way to read it): the cap bounds a client that reports too many.
     */
    public static final int MAX_REMAINING = 20;
    /** A held touch is forgotten after this: a step is never redelivered later (SQS keeps a message 14 days). */
    public static final Duration HELD_FOR = Duration.ofDays(15);
    /** A request id is remembered this long: a double tap or a client's retry comes within it. */
    public static final Duration ANSWER_KEPT = Duration.ofDays(1);

    /** @param accepts the state's {@code accepts} when the touch took its message */
    public record Held(long accepts, Instant at) { }

    public SubscriptionState {
        held = Map.copyOf(held);
        answers = Map.copyOf(answers);
    }

    public static SubscriptionState none(String templateId) {
        return new SubscriptionState(templateId, 0, 0, null, null, Map.of(), Map.of(), 0);
    }

    public Subscription subscription() {
        return new Subscription(templateId, remaining, lastResult, at);
    }

    public boolean holds(String touchId) {
        return held.containsKey(touchId);
    }

    public boolean answeredBefore(String requestId) {
        return requestId != null && answers.containsKey(requestId);
    }

    /** The member's answer; an answer with a request id seen before changes nothing. */
    public SubscriptionState answered(SubscriptionStore.Answer answer, String requestId, Instant now) {
        if (answeredBefore(requestId)) {
            return this;
        }
        Map<String, Instant> kept = new LinkedHashMap<>();
        answers.forEach((id, when) -> {
            if (when.plus(ANSWER_KEPT).isAfter(now)) {
                kept.put(id, when);
            }
        });
        if (requestId != null) {
            kept.put(requestId, now);
        }
        int n = switch (answer) {
            case ACCEPT -> Math.min(MAX_REMAINING, remaining + 1);
            case REJECT, FILTER -> remaining;
            case BAN -> 0;
        };
        long a = answer == SubscriptionStore.Answer.ACCEPT ? accepts + 1 : accepts;
        return new SubscriptionState(templateId, n, a, answer.key(), now, held, kept, version);
    }

    /** One message taken for the touch; the same state when the touch holds one already or none is left. */
    public SubscriptionState take(String touchId, Instant now) {
        if (holds(touchId) || remaining <= 0) {
            return this;
        }
        Map<String, Held> h = new LinkedHashMap<>();
        held.forEach((id, x) -> {
            if (x.at().plus(HELD_FOR).isAfter(now)) {
                h.put(id, x);
            }
        });
        h.put(touchId, new Held(accepts, now));
        return new SubscriptionState(templateId, remaining - 1, accepts, lastResult, at, h, answers, version);
    }

    /** WeChat refused the touch's message for another reason than 43101: it used none, so the message comes back. */
    public SubscriptionState givenBack(String touchId) {
        if (!holds(touchId)) {
            return this;
        }
        return new SubscriptionState(templateId, Math.min(MAX_REMAINING, remaining + 1), accepts, lastResult, at,
                without(touchId), answers, version);
    }

    /**
     * WeChat answered 43101 to the touch: the member had none left when it sent, so what is left is at most the
     * accepts recorded since the touch took its message (a touch not held: none since).
     */
    public SubscriptionState refused(String touchId, Instant now) {
        Held h = held.get(touchId);
        long since = h == null ? 0 : Math.max(0, accepts - h.accepts());
        int n = (int) Math.max(0, Math.min(remaining, since));
        return new SubscriptionState(templateId, n, accepts, "refused", now, without(touchId), answers, version);
    }

    /** The same state with {@code remaining} set (a merge moving messages). */
    public SubscriptionState withRemaining(int n) {
        return new SubscriptionState(templateId, n, accepts, lastResult, at, held, answers, version);
    }

    public SubscriptionState withVersion(long v) {
        return new SubscriptionState(templateId, remaining, accepts, lastResult, at, held, answers, v);
    }

    private Map<String, Held> without(String touchId) {
        Map<String, Held> h = new LinkedHashMap<>(held);
        h.remove(touchId);
        return h;
    }
}
