package dev.siyu.memory;

import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileConflictException;
import dev.siyu.core.profile.TimelineEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The points ledger in memory, over a customer store's profiles: per customer, the entry check, the profile's
 * conditional save and the entry are made under one lock, as the DynamoDB adapter makes them in one transaction.
 * A profile changed by another writer (not through the ledger) between the read and the save is read again.
 * The entry keeps its timeline events, so a request posted again after a crash that followed the save
 * appends them again (same event ids: nothing doubles), as the DynamoDB adapter does.
 */
public final class MemoryPointsLedger implements PointsLedger {
    private static final int MAX_ATTEMPTS = 50;

    private final CustomerStore customers;
    private final Map<String, Map<String, LedgerEntry>> entries = new ConcurrentHashMap<>();
    private final Map<String, List<TimelineEvent>> events = new ConcurrentHashMap<>();

    public MemoryPointsLedger(CustomerStore customers) {
        this.customers = customers;
    }

    @Override
    public Result post(String tenant, String customerId, String requestId, CustomerProfile fresh,
                       CustomerProfile known, Posting posting) {
        Map<String, LedgerEntry> book = entries.computeIfAbsent(tenant + "#" + customerId,
                k -> new LinkedHashMap<>());
        int conflicts = 0;
        synchronized (book) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Optional<CustomerProfile> stored = customers.profile(tenant, customerId);
                LedgerEntry had = book.get(requestId);
                if (had != null) {
                    List<TimelineEvent> again = events.getOrDefault(tenant + "#" + customerId + "#" + requestId,
                            List.of());
                    if (!again.isEmpty()) {
                        customers.append(tenant, customerId, again);
                    }
                    return new Result(Outcome.DUPLICATE, stored.orElse(null), had, conflicts);
                }
                CustomerProfile latest = stored.orElse(fresh == null ? null : fresh.atVersion(0));
                if (latest == null) {
                    return new Result(Outcome.REFUSED, null, null, conflicts);
                }
                Optional<Applied> applied = posting.apply(latest);
                if (applied.isEmpty()) {
                    return new Result(Outcome.REFUSED, latest, null, conflicts);
                }
                try {
                    customers.save(applied.get().next().atVersion(latest.version()), List.of());
                } catch (ProfileConflictException lost) {
                    conflicts++;
                    continue;
                }
                book.put(requestId, applied.get().entry());
                events.put(tenant + "#" + customerId + "#" + requestId, applied.get().events());
                customers.append(tenant, customerId, applied.get().events());
                return new Result(Outcome.POSTED, applied.get().next().atVersion(latest.version() + 1),
                        applied.get().entry(), conflicts);
            }
        }
        throw new ProfileConflictException("profile " + tenant + "/" + customerId + " changed under " + MAX_ATTEMPTS
                + " attempts to post " + requestId);
    }

    @Override
    public Optional<LedgerEntry> entry(String tenant, String customerId, String requestId) {
        Map<String, LedgerEntry> book = entries.getOrDefault(tenant + "#" + customerId, Map.of());
        synchronized (book) {
            return Optional.ofNullable(book.get(requestId));
        }
    }

    @Override
    public List<LedgerEntry> entries(String tenant, String customerId) {
        Map<String, LedgerEntry> book = entries.getOrDefault(tenant + "#" + customerId, Map.of());
        List<LedgerEntry> copy;
        synchronized (book) {
            copy = new ArrayList<>(book.values());
        }
        copy.sort(Comparator.comparing(LedgerEntry::at));
        return copy;
    }

    @Override
    public List<String> expiringOn(String tenant, java.time.LocalDate day) {
        java.util.Set<String> due = new java.util.TreeSet<>();
        String prefix = tenant + "#";
        entries.forEach((key, book) -> {
            if (key.startsWith(prefix) && book.values().stream().anyMatch(e -> dev.siyu.core.member.PointsRules.expiringLot(e)
                    && e.expiresAt().atZone(java.time.ZoneOffset.UTC).toLocalDate().equals(day))) {
                due.add(key.substring(prefix.length()));
            }
        });
        return List.copyOf(due);
    }
}
