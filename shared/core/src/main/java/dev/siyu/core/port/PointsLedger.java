package dev.siyu.core.port;

import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.util.List;
import java.util.Optional;

/**
 * The points ledger: append-only entries per customer, each written together with the profile it changes
 * (whose activity holds the balance, earned points and tier), conditional on the profile's version and on the
 * entry's request id being new. So an entry and its balance land together or not at all, two redemptions
 * racing for one balance are serialised (the loser re-reads and decides again: never below zero), and a
 * request posted twice is posted once (docs/data-model.md, Points ledger).
 */
public interface PointsLedger {

    /** What a posting decides from the latest profile: the entry and the profile after it, or a refusal. */
    @FunctionalInterface
    interface Posting {
        /** Empty when, on this copy, the posting is refused (not enough points, customer merged away). */
        Optional<Applied> apply(CustomerProfile latest);
    }

    /** @param events timeline events appended after the entry (their ids fixed by the request, so a replay re-puts them) */
    record Applied(CustomerProfile next, LedgerEntry entry, List<TimelineEvent> events) {
        public Applied {
            events = List.copyOf(events);
        }
    }

    enum Outcome { POSTED, DUPLICATE, REFUSED }

    /**
     * @param profile   the profile after the entry (POSTED) or as last read
     * @param entry     the entry written (POSTED) or found (DUPLICATE); null when REFUSED
     * @param conflicts how often the profile changed between a read and the write, each costing a retry
     */
    record Result(Outcome outcome, CustomerProfile profile, LedgerEntry entry, int conflicts) { }

    /** Posts the entry posting decides on the latest profile, retrying on a concurrent change of the profile. */
    default Result post(String tenant, String customerId, String requestId, Posting posting) {
        return post(tenant, customerId, requestId, null, posting);
    }

    /**
     * The same; when no profile is stored, posting decides on fresh (version 0) and the entry creates the
     * customer with it: a new customer's first order is one write of profile and entry together.
     */
    default Result post(String tenant, String customerId, String requestId, CustomerProfile fresh, Posting posting) {
        return post(tenant, customerId, requestId, fresh, null, posting);
    }

    /**
     * The same, deciding first on known (a copy the caller read just before, possibly stale: a newer version
     * refuses the write and the posting is decided again on it), which saves the ledger its own read.
     */
    Result post(String tenant, String customerId, String requestId, CustomerProfile fresh, CustomerProfile known,
                Posting posting);

    /** The entry of a request, if it was posted. */
    Optional<LedgerEntry> entry(String tenant, String customerId, String requestId);

    /** Every entry of the customer, oldest first. */
    List<LedgerEntry> entries(String tenant, String customerId);

    /**
     * The customers holding an earn whose points expire on day (its UTC date), each once: where the points-expiry
     * job looks, instead of reading every member's ledger. An earn is listed from the moment it is posted.
     */
    List<String> expiringOn(String tenant, java.time.LocalDate day);
}
