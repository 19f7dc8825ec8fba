package dev.siyu.memory;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
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
    private final Map<String, CustomerProfile> profiles = new ConcurrentHashMap<>();
    private final Map<String, List<TimelineEvent>> timelines = new ConcurrentHashMap<>();
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Instant> claims = new ConcurrentHashMap<>();
    /** Every save counted: tests check that a job wrote nothing. A count, not a list, so a long simulation keeps no history. */
    private final AtomicLong saves = new AtomicLong();

    private static String key(String tenant, String id) {
        return tenant + "#" + id;
    }

    @Override
    public boolean claim(String tenant, DedupKey k, Instant now, Duration ttl) {
        Instant until = now.plus(ttl);
        boolean[] won = {false};
        claims.compute(key(tenant, k.value()), (x, held) -> {
            if (held == null || !held.isAfter(now)) {
                won[0] = true;
                return until;
            }
            return held;
        });
        return won[0];
    }

    @Override
    public void release(String tenant, DedupKey k) {
        claims.remove(key(tenant, k.value()));
    }

    @Override
    public String claimIdentity(String tenant, IdentityType type, String value, String customerId) {
        return identities.computeIfAbsent(key(tenant, type.key() + "#" + value), x -> customerId);
    }

    @Override
    public Optional<String> customerIdFor(String tenant, IdentityType type, String value) {
        return Optional.ofNullable(identities.get(key(tenant, type.key() + "#" + value)));
    }

    @Override
    public Optional<CustomerProfile> profile(String tenant, String customerId) {
        return Optional.ofNullable(profiles.get(key(tenant, customerId)));
    }

    @Override
    public void save(CustomerProfile profile, List<TimelineEvent> events) {
        profiles.put(key(profile.tenant(), profile.customerId()), profile);
        saves.incrementAndGet();
        append(profile.tenant(), profile.customerId(), events);
    }

    @Override
    public void append(String tenant, String customerId, List<TimelineEvent> events) {
        if (!events.isEmpty()) {
            List<TimelineEvent> t = timelines.computeIfAbsent(key(tenant, customerId), x -> new ArrayList<>());
            synchronized (t) {
                t.addAll(events);
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
        profiles.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> action.accept(e.getValue()));
    }

    /** Saves so far (seeding with {@link #put} is not one). */
    public long saveCount() {
        return saves.get();
    }

    /** Seeds a customer as the callback would have stored it, without counting a save. */
    public void put(CustomerProfile p) {
        profiles.put(key(p.tenant(), p.customerId()), p);
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
