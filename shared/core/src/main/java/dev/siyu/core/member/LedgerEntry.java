package dev.siyu.core.member;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a member's points ledger, never changed once written. requestId makes it happen once: the
 * same request posted again (a replayed order, a retried redemption) finds its entry and changes nothing.
 *
 * @param points       what the entry does to the balance (earn +, redeem/expire/reverse -)
 * @param earned       what it does to the points earned in all (the tier's measure): an earn adds, a
 *                     reversal of an earn takes away, a redemption leaves it alone
 * @param expiresAt    an earn's points expire then (null: never); a MERGE_IN: the moved lot's, the earn's own
 *                     expiry; other kinds: null
 * @param reference    what the entry is about: the order id, the reward, the customer merged in
 * @param balanceAfter the balance once this entry was applied
 */
public record LedgerEntry(String requestId, Kind kind, long points, long earned, Instant at, Instant expiresAt,
                          String reference, long balanceAfter) {
    public enum Kind { EARN, REDEEM, REVERSE, EXPIRE, MERGE_IN, MERGE_OUT }

    public LedgerEntry {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (requestId.contains("#")) {
            throw new IllegalArgumentException("a request id may not contain '#': " + requestId);
        }
    }
}
