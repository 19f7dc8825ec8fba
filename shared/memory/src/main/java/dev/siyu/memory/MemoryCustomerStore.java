package dev.siyu.memory;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.ProfileConflictException;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Profiles, identities, timelines and claims in memory, with the same semantics as the DynamoDB adapter. */
public final class MemoryCustomerStore implements CustomerStore, ProfileScan {
    private static final String PASS_DONE = "";
    /** pass (tenant#name) -> the key of the last profile done, or PASS_DONE. */
    private final Map<String, String> passes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, CustomerProfile> profiles = new ConcurrentHashMap<>();
    private final Map<String, List<TimelineEvent>> timelines = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Held> claims = new ConcurrentHashMap<>();
    /** Every save counted: tests check that a job wrote nothing. A count, not a list, so a long simulation keeps no history. */
    private final AtomicLong saves = new AtomicLong();
    private static final System.Logger LOG = System.getLogger(MemoryCustomerStore.class.getName());

    private static String key(String tenant, String id) {
        return tenant + "#" + id;
    }

    /** A dedup claim: processing until a lease runs out, or done until kept runs out; token names its attempt. */
    private record Held(boolean done, Instant until, String token) { }

    /** As the DynamoDB adapter: a claim carrying the caller's own token is its own write, retried. */
    @Override
    public Claim claimLease(String tenant, DedupKey k, String token, Instant now, Instant leaseUntil) {
        Claim[] found = {Claim.WON};
        claims.compute(key(tenant, k.value()), (x, held) -> {
            if (held == null || !held.until().isAfter(now)) {
                return new Held(false, leaseUntil, token);
            }
            if (!held.token().equals(token)) {
                found[0] = held.done() ? Claim.DONE : Claim.PROCESSING;
            }
            return held;
        });
        return found[0];
    }

    @Override
    public void complete(String tenant, DedupKey k, String token, Instant now, Duration keepFor) {
        Held after = claims.computeIfPresent(key(tenant, k.value()),
                (x, held) -> held.token().equals(token) ? new Held(true, now.plus(keepFor), token) : held);
        if (after == null || !after.token().equals(token)) {
            LOG.log(Level.WARNING, JsonLog.line("claim not completed: held by another attempt", "tenant", tenant,
                    "key", k.value()));
        }
    }

    @Override
    public void release(String tenant, DedupKey k, String token) {
        boolean[] released = {false};
        claims.computeIfPresent(key(tenant, k.value()), (x, held) -> {
            released[0] = held.token().equals(token);
            return released[0] ? null : held;
        });
        if (!released[0]) {
            LOG.log(Level.WARNING, JsonLog.line("claim not released: held by another attempt or gone", "tenant",
                    tenant, "key", k.value()));
        }
    }

    @Override
    public String claimIdentity(String tenant, IdentityType type, String value, String customerId) {
        return identities.computeIfAbsent(key(tenant, type.key() + "#" + value), x -> customerId);
    }

    @Override
    public void pointIdentity(String tenant, IdentityType type, String value, String customerId) {
        identities.put(key(tenant, type.key() + "#" + value), customerId);
    }

    @Override
    public Optional<String> customerIdFor(String tenant, IdentityType type, String value) {
        return Optional.ofNullable(identities.get(key(tenant, type.key() + "#" + value)));
    }

    @Override
    public Optional<CustomerProfile> profile(String tenant, String customerId) {
        return Optional.ofNullable(profiles.get(key(tenant, customerId)));
    }

    /** Over the version the profile was read at, as the DynamoDB adapter's conditional put. */
    @Override
    public void save(CustomerProfile profile, List<TimelineEvent> events) {
        boolean[] written = {false};
        profiles.compute(key(profile.tenant(), profile.customerId()), (x, stored) -> {
            long storedVersion = stored == null ? 0 : stored.version();
            if (storedVersion != profile.version()) {
                return stored;
            }
            written[0] = true;
            return profile.atVersion(storedVersion + 1);
        });
        if (!written[0]) {
            throw new ProfileConflictException(profile.tenant(), profile.customerId(), profile.version());
        }
        saves.incrementAndGet();
        append(profile.tenant(), profile.customerId(), events);
    }

    /** An event already on the timeline (same id: a retried write) is not added again. */
    @Override
    public void append(String tenant, String customerId, List<TimelineEvent> events) {
        if (!events.isEmpty()) {
            List<TimelineEvent> t = timelines.computeIfAbsent(key(tenant, customerId), x -> new ArrayList<>());
            synchronized (t) {
                for (TimelineEvent e : events) {
                    if (t.stream().noneMatch(had -> had.eventId().equals(e.eventId()))) {
                        t.add(e);
                    }
                }
            }
        }
    }

    @Override
    public List<TimelineEvent> timeline(String tenant, String customerId) {
        List<TimelineEvent> t = timelines.getOrDefault(key(tenant, customerId), List.of());
        synchronized (t) {
            List<TimelineEvent> copy = new ArrayList<>(t);
            copy.sort(Comparator.comparing(TimelineEvent::at));
            return copy;
        }
    }

    @Override
    public void forEach(String tenant, Consumer<CustomerProfile> action) {
        String prefix = tenant + "#";
        // A profile merged into another is no customer of its own (ProfileScan), as in the DynamoDB scan.
        profiles.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .filter(e -> e.getValue().mergedInto().isEmpty())
                .sorted(Map.Entry.comparingByKey()).forEach(e -> action.accept(e.getValue()));
    }

    /**
     * Checkpointed like the DynamoDB scan's passes, one profile at a time: a job that died mid-pass (its instance
     * crashed) goes on where it stopped when run again, instead of starting over and never reaching the customers
     * late in the order while the day's retries run out.
     */
    @Override
    public Pass pass(String tenant, String pass, Consumer<CustomerProfile> action) {
        String key = tenant + "#" + pass;
        String after = passes.get(key);
        String from = after == null || after.equals(PASS_DONE) ? null : after;
        String prefix = tenant + "#";
        List<Map.Entry<String, CustomerProfile>> todo = profiles.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && (from == null || e.getKey().compareTo(from) > 0))
                .filter(e -> e.getValue().mergedInto().isEmpty())
                .sorted(Map.Entry.comparingByKey()).toList();
        int read = 0;
        for (Map.Entry<String, CustomerProfile> e : todo) {
            action.accept(e.getValue());
            read++;
            passes.put(key, e.getKey());
        }
        passes.put(key, PASS_DONE);
        return new Pass(pass, true, read);
    }

    /** Drops a claim whoever holds it, as its expiry would: a test's "the claim was given back" without the token. */
    public void dropClaim(String tenant, DedupKey k) {
        claims.remove(key(tenant, k.value()));
    }

    /** Saves so far (seeding with {@link #put} is not one). */
    public long saveCount() {
        return saves.get();
    }

    /** Seeds a customer as the callback would have stored it, without counting a save. */
    public void put(CustomerProfile p) {
        profiles.merge(key(p.tenant(), p.customerId()), p.atVersion(Math.max(1, p.version())),
                (stored, seeded) -> seeded.atVersion(stored.version() + 1));
    }

    /** The stored profile; throws when there is none. */
    public CustomerProfile get(String tenant, String customerId) {
        return profile(tenant, customerId).orElseThrow();
    }

    /** The kinds of the customer's timeline events, in time order. */
    public List<String> kinds(String tenant, String customerId) {
        return timeline(tenant, customerId).stream().map(TimelineEvent::kind).toList();
    }

    /** The customer's timeline events of one kind, in time order. */
    public List<TimelineEvent> events(String tenant, String customerId, String kind) {
        return timeline(tenant, customerId).stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
