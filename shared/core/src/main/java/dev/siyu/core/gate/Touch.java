package dev.siyu.core.gate;

import java.util.Objects;

/**
 * One outbound touch the caller wants to make. Build it with the channel factories and the with-
 * methods; the constructor rejects touches that cannot exist (a private message without a staff
 * member, a group message without a group).
 *
 * @param customerId  the customer the decision is about
 * @param staffUserId the friendship the touch goes through; null for group messages and for touches
 *                    not tied to one staff member
 * @param marketing   needs marketing consent even when the content itself is value content
 *                    (e.g. a survey that feeds campaigns); promotional content always needs it
 * @param exemption   why the touch may go out outside business hours; null for none
 * @param needsHuman  a key 1-on-1 step: a staff member must send it, never an automated script
 * @param sensitive   the content needs compliance review before it goes out
 * @param approved    the review approved this content (meaningful only when review is needed)
 * @param groupId     the group a group message or invite is for; null otherwise
 * @param journey     sent by a lifecycle journey, so it counts against the weekly journey cap
 */
public record Touch(String customerId, String staffUserId, Channel channel, ContentClass content,
                    boolean marketing, Exemption exemption, boolean needsHuman, boolean sensitive,
                    boolean approved, String groupId, boolean journey) {

    public Touch {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(content, "content");
        if (channel.needsStaff() && staffUserId == null) {
            throw new IllegalArgumentException(channel + " goes through a staff member's friendship; staffUserId is required");
        }
        if (channel.needsGroup() && groupId == null) {
            throw new IllegalArgumentException(channel + " needs the groupId it is for");
        }
        if (needsHuman && staffUserId == null) {
            throw new IllegalArgumentException("a step that needs a human needs the staff member who takes it");
        }
    }

    private static Touch of(String customerId, String staff, Channel channel, ContentClass content, String group) {
        return new Touch(customerId, staff, channel, content, false, null, false, false, false, group, false);
    }

    public static Touch privateMessage(String customerId, String staffUserId, ContentClass content) {
        return of(customerId, staffUserId, Channel.PRIVATE_MESSAGE, content, null);
    }

    public static Touch massMessage(String customerId, String staffUserId, ContentClass content) {
        return of(customerId, staffUserId, Channel.MASS_MESSAGE, content, null);
    }

    public static Touch groupMessage(String customerId, String groupId, ContentClass content) {
        return of(customerId, null, Channel.GROUP_MESSAGE, content, groupId);
    }

    /** staffUserId may be null when the invite is not sent through one staff member (e.g. a group QR code). */
    public static Touch groupInvite(String customerId, String staffUserId, String groupId) {
        return of(customerId, staffUserId, Channel.GROUP_INVITE, ContentClass.VALUE, groupId);
    }

    public static Touch momentsPost(String customerId, String staffUserId, ContentClass content) {
        return of(customerId, staffUserId, Channel.MOMENTS_POST, content, null);
    }

    /** A coupon is promotional by nature. */
    public static Touch coupon(String customerId, String staffUserId) {
        return of(customerId, staffUserId, Channel.COUPON, ContentClass.PROMOTIONAL, null);
    }

    /** A Mini Program subscription message: through WeChat on the member's own subscription, no staff member. */
    public static Touch subscriptionMessage(String customerId, ContentClass content) {
        return of(customerId, null, Channel.SUBSCRIPTION_MESSAGE, content, null);
    }

    public static Touch staffTask(String customerId, String staffUserId, ContentClass content) {
        return of(customerId, staffUserId, Channel.STAFF_TASK, content, null);
    }

    public Touch asMarketing() {
        return new Touch(customerId, staffUserId, channel, content, true, exemption, needsHuman, sensitive, approved,
                groupId, journey);
    }

    public Touch exempt(Exemption reason) {
        return new Touch(customerId, staffUserId, channel, content, marketing, Objects.requireNonNull(reason, "reason"),
                needsHuman, sensitive, approved, groupId, journey);
    }

    public Touch asHumanStep() {
        return new Touch(customerId, staffUserId, channel, content, marketing, exemption, true, sensitive, approved,
                groupId, journey);
    }

    public Touch asSensitive(boolean isApproved) {
        return new Touch(customerId, staffUserId, channel, content, marketing, exemption, needsHuman, true, isApproved,
                groupId, journey);
    }

    /** For sensitive-industry tenants, where content needs approval without being flagged one by one. */
    public Touch asApproved() {
        return new Touch(customerId, staffUserId, channel, content, marketing, exemption, needsHuman, sensitive, true,
                groupId, journey);
    }

    public Touch asJourneyStep() {
        return new Touch(customerId, staffUserId, channel, content, marketing, exemption, needsHuman, sensitive, approved,
                groupId, true);
    }

    /**
     * The touch's place in the blueprint's mass-message priority order: after-sales and replies are
     * transactional, a key step a person confirms is human-confirmed, a group invite is a service, promotional
     * content (coupons included) is promotional, anything else is value content.
     */
    public MessagePriority priority() {
        if (exemption != null) {
            return MessagePriority.TRANSACTIONAL;
        }
        if (needsHuman) {
            return MessagePriority.HUMAN_CONFIRMED;
        }
        if (content == ContentClass.PROMOTIONAL) {
            return MessagePriority.PROMOTIONAL;
        }
        return channel == Channel.GROUP_INVITE ? MessagePriority.SERVICE : MessagePriority.VALUE;
    }

    /** PIPL and the seed's red line: no promotion, mass message or group invite without consent. */
    public boolean needsConsent() {
        return marketing || content == ContentClass.PROMOTIONAL || channel == Channel.MASS_MESSAGE
                || channel == Channel.GROUP_INVITE;
    }
}
