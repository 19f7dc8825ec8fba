package dev.siyu.core.schedule;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Customers, timelines and dedup claims in maps, with the table's semantics (claims expire, timelines sorted). */
final class InMemoryCustomers implements CustomerStore, ProfileScan {
    private final Map<String, Instant> claims = new HashMap<>();
    private final Map<String, String> identities = new HashMap<>();
    private final Map<String, CustomerProfile> profiles = new LinkedHashMap<>();
    private final Map<String, List<TimelineEvent>> timelines = new HashMap<>();
    /** Every save, in order: what the jobs wrote. */
    final List<CustomerProfile> saves = new ArrayList<>();

    private static String key(String tenant, String id) {
        return tenant + "|" + id;
    }

    @Override
    public synchronized boolean claim(String tenant, DedupKey key, Instant now, Duration ttl) {
        String k = key(tenant, key.value());
        Instant expires = claims.get(k);
        if (expires != null && expires.isAfter(now)) {
            return false;
        }
        claims.put(k, now.plus(ttl));
        return true;
    }

    @Override
    public synchronized void release(String tenant, DedupKey key) {
        claims.remove(key(tenant, key.value()));
    }

    @Override
    public synchronized String claimIdentity(String tenant, IdentityType type, String value, String customerId) {
        return identities.computeIfAbsent(key(tenant, type.key() + "|" + value), k -> customerId);
    }

    @Override
    public synchronized Optional<String> customerIdFor(String tenant, IdentityType type, String value) {
        return Optional.ofNullable(identities.get(key(tenant, type.key() + "|" + value)));
    }

    @Override
    public synchronized Optional<CustomerProfile> profile(String tenant, String customerId) {
        return Optional.ofNullable(profiles.get(key(tenant, customerId)));
    }

    @Override
    public synchronized void save(CustomerProfile profile, List<TimelineEvent> events) {
        profiles.put(key(profile.tenant(), profile.customerId()), profile);
        saves.add(profile);
        append(profile.tenant(), profile.customerId(), events);
    }

    @Override
    public synchronized void append(String tenant, String customerId, List<TimelineEvent> events) {
        List<TimelineEvent> list = timelines.computeIfAbsent(key(tenant, customerId), k -> new ArrayList<>());
        list.addAll(events);
        list.sort(Comparator.comparing(TimelineEvent::at).thenComparing(TimelineEvent::eventId));
    }

    @Override
    public synchronized List<TimelineEvent> timeline(String tenant, String customerId) {
        return List.copyOf(timelines.getOrDefault(key(tenant, customerId), List.of()));
    }

    @Override
    public void forEach(String tenant, Consumer<CustomerProfile> action) {
        List<CustomerProfile> snapshot;
        synchronized (this) {
            snapshot = profiles.values().stream().filter(p -> p.tenant().equals(tenant)).toList();
        }
        snapshot.forEach(action);
    }

    /** Seeds a customer as the callback would have stored it (not counted as a job's save). */
    synchronized void put(CustomerProfile p) {
        profiles.put(key(p.tenant(), p.customerId()), p);
    }

    CustomerProfile get(String tenant, String customerId) {
        return profile(tenant, customerId).orElseThrow();
    }

    List<String> kinds(String tenant, String customerId) {
        return timeline(tenant, customerId).stream().map(TimelineEvent::kind).toList();
    }

    List<TimelineEvent> events(String tenant, String customerId, String kind) {
        return timeline(tenant, customerId).stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
