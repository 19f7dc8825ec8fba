package dev.siyu.memory;

import dev.siyu.core.miniapp.Subscription;
import dev.siyu.core.miniapp.SubscriptionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Members' subscription-message subscriptions in memory; one lock makes each change atomic, a merge's too. */
public final class MemorySubscriptionStore implements SubscriptionStore {
    private record Entry(Subscription subscription, Set<String> takenBy) { }

    private final Map<String, Entry> entries = new TreeMap<>();

    private static String prefix(String tenant, String customerId) {
        return tenant + "\u0000" + customerId + "\u0000";
    }

    @Override
    public synchronized List<Subscription> subscriptions(String tenant, String customerId) {
        String prefix = prefix(tenant, customerId);
        List<Subscription> out = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (k.startsWith(prefix)) {
                out.add(e.subscription());
            }
        });
        out.sort(Comparator.comparing(Subscription::templateId));
        return out;
    }

    @Override
    public synchronized Subscription answered(String tenant, String customerId, String templateId, Answer answer,
                                           Instant at) {
        return entries.compute(prefix(tenant, customerId) + templateId, (k, had) -> {
            int remaining = had == null ? 0 : had.subscription().remaining();
            remaining = switch (answer) {
                case ACCEPT -> remaining + 1;
                case REJECT, FILTER -> remaining;
                case BAN -> 0;
            };
            return new Entry(new Subscription(templateId, remaining, answer.key(), at),
                    had == null ? Set.of() : had.takenBy());
        }).subscription();
    }

    @Override
    public synchronized boolean take(String tenant, String customerId, String templateId, String touchId, Instant at) {
        boolean[] holds = {false};
        entries.computeIfPresent(prefix(tenant, customerId) + templateId, (k, had) -> {
            if (had.takenBy().contains(touchId)) {
                holds[0] = true;
                return had;
            }
            Subscription s = had.subscription();
            if (!s.live()) {
                return had;
            }
            holds[0] = true;
            Set<String> taken = new HashSet<>(had.takenBy());
            taken.add(touchId);
            return new Entry(new Subscription(templateId, s.remaining() - 1, s.lastResult(), s.at()),
                    Set.copyOf(taken));
        });
        return holds[0];
    }

    @Override
    public synchronized boolean took(String tenant, String customerId, String templateId, String touchId) {
        Entry e = entries.get(prefix(tenant, customerId) + templateId);
        return e != null && e.takenBy().contains(touchId);
    }

    @Override
    public synchronized void giveBack(String tenant, String customerId, String templateId, String touchId,
                                      Instant at) {
        entries.computeIfPresent(prefix(tenant, customerId) + templateId, (k, had) -> {
            if (!had.takenBy().contains(touchId)) {
                return had;
            }
            Set<String> taken = new HashSet<>(had.takenBy());
            taken.remove(touchId);
            Subscription s = had.subscription();
            return new Entry(new Subscription(templateId, s.remaining() + 1, s.lastResult(), s.at()),
                    Set.copyOf(taken));
        });
    }

    @Override
    public synchronized void refused(String tenant, String customerId, String templateId, Instant at) {
        entries.compute(prefix(tenant, customerId) + templateId, (k, had) -> new Entry(
                new Subscription(templateId, 0, "refused", at), had == null ? Set.of() : had.takenBy()));
    }

    @Override
    public synchronized void move(String tenant, String absorbed, String survivor, Instant at) {
        for (Subscription s : subscriptions(tenant, absorbed)) {
            if (!s.live()) {
                continue;
            }
            String from = prefix(tenant, absorbed) + s.templateId();
            // Both sides under one lock, as the DynamoDB store's transaction: a merge made again moves nothing twice.
            Entry gone = entries.get(from);
            entries.put(from, new Entry(new Subscription(s.templateId(), 0, s.lastResult(), s.at()), gone.takenBy()));
            entries.compute(prefix(tenant, survivor) + s.templateId(), (k, had) -> {
                int remaining = (had == null ? 0 : had.subscription().remaining()) + s.remaining();
                Subscription was = had == null ? s : had.subscription();
                return new Entry(new Subscription(s.templateId(), remaining, was.lastResult(), was.at()),
                        had == null ? Set.of() : had.takenBy());
            });
        }
    }
}
