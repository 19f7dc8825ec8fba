package dev.siyu.core.gate;

/** How a touch reaches the customer; the rules that apply depend on it. */
public enum Channel {
    /** A 1-on-1 message from a staff member's account. */
    PRIVATE_MESSAGE,
    /** A message posted to a customer group; the group, not the single customer, is its audience. */
    GROUP_MESSAGE,
    /** An operator's customer mass message (add_msg_template); counted against the monthly mass-message cap. */
    MASS_MESSAGE,
    /** A staff member's Moments post; counted against the daily Moments cap. */
    MOMENTS_POST,
    /** An invitation to join a customer group. */
    GROUP_INVITE,
    /** A coupon handed to the customer. */
    COUPON,
    /**
     * A Mini Program subscription message (subscribeMessage.send) on one of the member's one-time subscriptions:
     * WeChat, not a staff member's WeCom account, delivers it, so it needs no friendship and is no customer mass
     * message (neither the monthly cap nor WeCom's platform limit counts it); consent, review, the weekly journey
     * cap, the content mix and quiet hours apply as to any touch.
     */
    SUBSCRIPTION_MESSAGE,
    /**
     * A task for the staff member (e.g. a draft to confirm). It reaches the staff member, not the
     * customer, so only the red lines and review apply; the send that follows is gated on its own.
     */
    STAFF_TASK;

    /** False for staff tasks: they reach staff, so caps, content mix and quiet hours do not count them. */
    public boolean reachesCustomer() {
        return this != STAFF_TASK;
    }

    /**
     * True for the channels that reach the customer as an add_msg_template task to them (chat_type single): an
     * operator's mass message, a coupon card, a group invite. WeCom counts every such task as a customer mass
     * message whoever made it ("创建企业群发", https://developer.work.weixin.qq.com/document/path/92135), so each
     * counts against the guardrail's monthly cap and the corp's platform limit. A 1-on-1 message a staff member
     * sends from the sidebar (PRIVATE_MESSAGE) is not one.
     */
    public boolean sentAsMessageTemplate() {
        return this == MASS_MESSAGE || this == COUPON || this == GROUP_INVITE;
    }

    /** Channels that only exist through one staff member's friendship with the customer. */
    boolean needsStaff() {
        return this == PRIVATE_MESSAGE || this == MASS_MESSAGE || this == STAFF_TASK;
    }

    boolean needsGroup() {
        return this == GROUP_MESSAGE || this == GROUP_INVITE;
    }
}
