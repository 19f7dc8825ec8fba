package dev.siyu.core.gate;

import java.util.Locale;
import java.util.Optional;

/**
 * What a customer mass message (an add_msg_template task to one customer) is for, in the order the blueprint's
 * {@code guardrails.mass_message_priority} ranks them: the month's last slots are kept for the classes ranked
 * first ({@link Guardrails#massSlotsFor}).
 */
public enum MessagePriority {
    /** After-sales and replies: something the customer is waiting for. */
    TRANSACTIONAL,
    /** A key step a staff member confirmed by hand (the seed's human touchpoints). */
    HUMAN_CONFIRMED,
    /** Invitations and care the customer benefits from (a VIP group invite). */
    SERVICE,
    /** Value content. */
    VALUE,
    /** Promotions and coupons. */
    PROMOTIONAL;

    /** The blueprint's spelling: {@code human_confirmed}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessagePriority> fromYaml(String text) {
        for (MessagePriority p : values()) {
            if (p.yamlName().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
