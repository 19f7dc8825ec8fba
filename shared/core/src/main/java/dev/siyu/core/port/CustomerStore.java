package dev.siyu.core.port;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.ProfileChange;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Customers, their identities and timelines, and callback dedup claims (docs/data-model.md). */
public interface CustomerStore {

    /**
     * Claims a callback for processing with a conditional put; false when it was claimed before
     * (a WeCom retry or a concurrent duplicate). The claim expires after ttl.
     */
    boolean claim(String tenant, DedupKey key, Instant now, Duration ttl);

    /** Gives a claim back after processing failed, so WeCom's retry is processed again. */
    void release(String tenant, DedupKey key);

    /**
     * Points an identity at a customer if no customer holds it yet (conditional put). Returns the
     * customer that holds it afterwards: customerId when the claim won, else the existing owner.
     */
    String claimIdentity(String tenant, IdentityType type, String value, String customerId);

    Optional<String> customerIdFor(String tenant, IdentityType type, String value);

    Optional<CustomerProfile> profile(String tenant, String customerId);

    /** Writes the profile and appends the events, in as few round trips as the store allows. */
    void save(CustomerProfile profile, List<TimelineEvent> events);

    /**
     * Applies change to the latest stored profile and writes it with the events; a store that sees the
     * profile changed in between re-reads and applies the change again. Returns the profile written; empty
     * when the customer does not exist or the change left it as it was (the events are appended either way).
     */
    default java.util.Optional<CustomerProfile> update(String tenant, String customerId, ProfileChange change,
                                                       List<TimelineEvent> events) {
        Optional<CustomerProfile> current = profile(tenant, customerId);
        CustomerProfile next = current.map(change::apply).orElse(null);
        if (next == null) {
            if (!events.isEmpty()) {
                append(tenant, customerId, events);
            }
            return Optional.empty();
        }
        save(next, events);
        return Optional.of(next);
    }

    void append(String tenant, String customerId, List<TimelineEvent> events);

    /** The customer's timeline, oldest first. */
    List<TimelineEvent> timeline(String tenant, String customerId);

    /** The events at or after since, oldest first; stores that can read just those do. */
    default List<TimelineEvent> timeline(String tenant, String customerId, Instant since) {
        return timeline(tenant, customerId).stream().filter(e -> !e.at().isBefore(since)).toList();
    }
}
