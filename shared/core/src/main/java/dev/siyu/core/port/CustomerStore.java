package dev.siyu.core.port;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.ProfileChange;
import dev.siyu.core.profile.ProfileConflictException;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Customers, their identities and timelines, and callback dedup claims (docs/data-model.md). */
public interface CustomerStore {

    /**
     * The customer a merge left standing for customerId (customerId itself when never merged), following
     * merged_into up to 8 hops; empty when no profile is stored or the chain is longer (never in practice).
     */
    default java.util.Optional<String> survivor(String tenant, String customerId) {
        String current = customerId;
        for (int hop = 0; hop < 8; hop++) {
            java.util.Optional<dev.siyu.core.profile.CustomerProfile> p = profile(tenant, current);
            if (p.isEmpty()) {
                return java.util.Optional.empty();
            }
            if (p.get().mergedInto().isEmpty()) {
                return java.util.Optional.of(current);
            }
            current = p.get().mergedInto().get();
        }
        return java.util.Optional.empty();
    }

    /**
     * Claims a callback (or a job's slot) for processing with a conditional put; false when someone else
     * holds it (a WeCom retry, a concurrent duplicate, an earlier run). The claim expires after ttl. token
     * names this attempt (a fresh random value per attempt, {@link #newToken}): a retried write that finds
     * the claim carrying its own token has won it (see {@link #claimLease}).
     */
    default boolean claim(String tenant, DedupKey key, String token, Instant now, Duration ttl) {
        return claimLease(tenant, key, token, now, now.plus(ttl)) == Claim.WON;
    }

    /**
     * Gives a claim back after processing failed, so a retry is processed again; only while the claim
     * still carries token (a release by an attempt whose lease was taken over is a no-op, logged).
     */
    void release(String tenant, DedupKey key, String token);

    /** What {@link #claimLease} found. */
    enum Claim {
        /** This attempt processes the callback. */
        WON,
        /** Another attempt holds an unexpired lease on it: it may still finish, or die and let the lease run out. */
        PROCESSING,
        /** Processed before: answer as processed. */
        DONE
    }

    /**
     * Claims a callback for processing with a lease: the claim says {@code processing} until leaseUntil,
     * after which another attempt takes it over (the first one died or outlived its deadline). The claim
     * carries token; a write refused by a claim carrying the same token is this attempt's own write, taken
     * effect before its answer was lost and retried by the client (the AWS SDK retries a PutItem whose
     * response timed out), and counts as WON.
     */
    Claim claimLease(String tenant, DedupKey key, String token, Instant now, Instant leaseUntil);

    /**
     * Marks a claimed callback processed, kept for keepFor so WeCom's retries and replays find it done; only
     * while the claim still carries token (a late attempt whose lease was taken over leaves the claim to
     * the attempt that holds it: a no-op, logged).
     */
    void complete(String tenant, DedupKey key, String token, Instant now, Duration keepFor);

    /** A claim token: random, so two attempts never share one (128 bits, as a lease owner). */
    static String newToken() {
        return UUID.randomUUID().toString();
    }

    /**
     * Points an identity at a customer if no customer holds it yet (conditional put). Returns the
     * customer that holds it afterwards: customerId when the claim won, else the existing owner.
     */
    String claimIdentity(String tenant, IdentityType type, String value, String customerId);

    Optional<String> customerIdFor(String tenant, IdentityType type, String value);

    /**
     * Points an identity at a customer whoever held it (a merge moving the absorbed customer's identities onto
     * the survivor): an unconditional put, since the merge has decided and making it again puts the same.
     */
    void pointIdentity(String tenant, IdentityType type, String value, String customerId);

    Optional<CustomerProfile> profile(String tenant, String customerId);

    /**
     * Writes the profile over the version it was read at (version 0: only when no profile is stored) and
     * then appends the events. Throws {@link ProfileConflictException} when a newer version is stored: a
     * copy read earlier never overwrites a later change. Prefer {@link #update}, which re-applies on conflict.
     */
    void save(CustomerProfile profile, List<TimelineEvent> events);

    /** Attempts {@link #update} makes before giving up: each one lost to a write made after its read. */
    int UPDATE_ATTEMPTS = 5;

    /**
     * Applies change to the latest stored profile and writes it with the events; a store that sees the
     * profile changed in between re-reads and applies the change again (at most {@link #UPDATE_ATTEMPTS}
     * times, then {@link ProfileConflictException}). Returns the profile written, at its new version; empty
     * when the customer does not exist or the change left it as it was (the events are appended either way).
     */
    default Optional<CustomerProfile> update(String tenant, String customerId, ProfileChange change,
                                             List<TimelineEvent> events) {
        return write(tenant, customerId, null, change, events);
    }

    /**
     * The same, creating the customer as fresh (version 0) when none is stored, with change applied to it;
     * empty only when the stored customer was left as it was.
     */
    default Optional<CustomerProfile> upsert(String tenant, String customerId, CustomerProfile fresh,
                                             ProfileChange change, List<TimelineEvent> events) {
        return write(tenant, customerId, fresh.atVersion(0), change, events);
    }

    /**
     * {@link #update} for a caller that has just read the profile strongly consistently (a state Query): the change
     * is applied to that copy and written over its version, saving update's own read; a profile changed since
     * (a conflict) is left to update, which re-reads and applies the change again. Empty when the change left the
     * copy as it was.
     */
    default Optional<CustomerProfile> updateFrom(CustomerProfile read, ProfileChange change, List<TimelineEvent> events) {
        CustomerProfile next = change.apply(read);
        if (next == null) {
            append(read.tenant(), read.customerId(), events);
            return Optional.empty();
        }
        try {
            save(next.atVersion(read.version()), events);
            return Optional.of(next.atVersion(read.version() + 1));
        } catch (ProfileConflictException lost) {
            return update(read.tenant(), read.customerId(), change, events);
        }
    }

    private Optional<CustomerProfile> write(String tenant, String customerId, CustomerProfile fresh,
                                            ProfileChange change, List<TimelineEvent> events) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Optional<CustomerProfile> current = profile(tenant, customerId);
            if (current.isEmpty() && fresh == null) {
                append(tenant, customerId, events);
                return Optional.empty();
            }
            CustomerProfile base = current.orElse(fresh);
            CustomerProfile next = change.apply(base);
            if (next == null && current.isPresent()) {
                append(tenant, customerId, events);
                return Optional.empty();
            }
            CustomerProfile written = (next == null ? base : next).atVersion(base.version());
            try {
                save(written, events);
                return Optional.of(written.atVersion(base.version() + 1));
            } catch (ProfileConflictException lost) {
                // Another writer got in between our read and our write: apply the change to its copy.
            }
        }
        throw new ProfileConflictException("profile " + tenant + "/" + customerId + " changed under "
                + UPDATE_ATTEMPTS + " attempts to update it");
    }

    void append(String tenant, String customerId, List<TimelineEvent> events);

    /** The customer's timeline, oldest first. */
    List<TimelineEvent> timeline(String tenant, String customerId);

    /** The events at or after since, oldest first; stores that can read just those do. */
    default List<TimelineEvent> timeline(String tenant, String customerId, Instant since) {
        return timeline(tenant, customerId).stream().filter(e -> !e.at().isBefore(since)).toList();
    }
}
