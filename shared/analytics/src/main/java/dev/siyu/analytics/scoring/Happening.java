package dev.siyu.analytics.scoring;

import java.time.Instant;

/**
 * One thing a customer did, as the scoring features read it: a purchase (amount in yuan), a message opened or
 * replied to, a Moments like or comment, a post in a customer group, joining, leaving or muting a group, a
 * coupon used or let expire. The adapter from the product's timeline maps its event kinds onto these.
 */
public record Happening(Kind kind, Instant at, double amount) {
    public enum Kind {
        PURCHASE, MESSAGE_OPENED, REPLY, MOMENTS_INTERACTION, GROUP_POST, GROUP_JOINED, GROUP_LEFT, GROUP_MUTED,
        COUPON_USED, COUPON_IGNORED
    }

    public Happening {
        if (kind == null || at == null) {
            throw new IllegalArgumentException("a happening needs a kind and a time");
        }
    }

    public static Happening of(Kind kind, Instant at) {
        return new Happening(kind, at, 0);
    }
}
