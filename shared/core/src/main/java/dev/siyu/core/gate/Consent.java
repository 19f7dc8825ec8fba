package dev.siyu.core.gate;

import java.time.Instant;

/**
 * The customer's marketing consent (PIPL): permission for promotions, mass messages and group
 * invites. A grant after a withdrawal counts again; a withdrawal counts from the moment it is recorded.
 *
 * @param grantedAt   the latest grant, null when never granted
 * @param withdrawnAt the latest withdrawal, null when never withdrawn
 */
public record Consent(Instant grantedAt, Instant withdrawnAt) {
    public static final Consent NONE = new Consent(null, null);

    public static Consent grantedAt(Instant at) {
        return new Consent(at, null);
    }

    public Consent withdrawn(Instant at) {
        return new Consent(grantedAt, at);
    }

    public boolean granted() {
        return grantedAt != null && !withdrawn();
    }

    /** True when the latest word from the customer is a withdrawal. */
    public boolean withdrawn() {
        return withdrawnAt != null && (grantedAt == null || !grantedAt.isAfter(withdrawnAt));
    }
}
