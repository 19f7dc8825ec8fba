package dev.siyu.core.miniapp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The members' one-time subscription-message subscriptions, per member per template. Every change is one
 * conditional write, so concurrent answers and sends never lose or double a subscription.
 */
public interface SubscriptionStore {
    /** What the member answered in wx.requestSubscribeMessage for one template. */
    enum Answer {
        /** One more message allowed. */
        ACCEPT,
        /** This time not; earlier accepts still stand (WeChat keeps them). */
        REJECT,
        /** WeChat has banned the template ("已被后台封禁"): no message with it reaches anyone, so none is left. */
        BAN,
        /** WeChat filtered the template out of the request (two of the same title): nothing changes. */
        FILTER;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The member's subscriptions, one per template they ever answered for. */
    List<Subscription> subscriptions(String tenant, String customerId);

    default Optional<Subscription> subscription(String tenant, String customerId, String templateId) {
        return subscriptions(tenant, customerId).stream().filter(s -> s.templateId().equals(templateId)).findFirst();
    }

    /**
     * Records an answer (accept adds one message, up to {@link SubscriptionState#MAX_REMAINING}) and returns the
     * subscription as it is now; an answer whose request id was recorded before changes nothing.
     */
    Subscription answered(String tenant, String customerId, String templateId, Answer answer, String requestId,
                          Instant at);

    /** True when an answer with this request id was recorded for the template (within a day). */
    boolean answeredBefore(String tenant, String customerId, String templateId, String requestId);

    default Subscription answered(String tenant, String customerId, String templateId, Answer answer, Instant at) {
        return answered(tenant, customerId, templateId, answer, null, at);
    }

    /**
     * Uses one message of the template for the touch: true when the touch holds it, taken now or by an earlier
     * attempt of the same touch (so a retry after a crash never takes a second); false when none is left.
     */
    boolean take(String tenant, String customerId, String templateId, String touchId, Instant at);

    /**
     * True when the touch took one of this template's messages (by {@link #take}) and WeChat's answer to it is not
     * recorded: a refusal ({@link #giveBack}, {@link #refused}) removes the touch in the same write.
     */
    boolean took(String tenant, String customerId, String templateId, String touchId);

    /**
     * Gives back the message the touch took, when WeChat refused the send for another reason than 43101 (WeChat
     * used none): once, only while the touch holds it.
     */
    void giveBack(String tenant, String customerId, String templateId, String touchId, Instant at);

    /**
     * WeChat refused the touch's send with 43101: the member had none left, whatever we counted; accepts recorded
     * after the touch took its message still stand. The touch no longer holds a message.
     */
    void refused(String tenant, String customerId, String templateId, String touchId, Instant at);

    /**
     * A merge: the absorbed customer's remaining messages are added to the survivor's and its own set to none, in
     * one atomic write per template, so a merge finished again moves nothing twice.
     */
    void move(String tenant, String absorbed, String survivor, Instant at);
}
