package dev.siyu.memory;

import dev.siyu.core.miniapp.Subscription;
import dev.siyu.core.miniapp.SubscriptionState;
import dev.siyu.core.miniapp.SubscriptionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Members' subscription-message subscriptions in memory, by the same {@link SubscriptionState} rules as the DynamoDB
 * store; one lock makes each change atomic, a merge's too.
 */
public final class MemorySubscriptionStore implements SubscriptionStore {
    private final Map<String, SubscriptionState> entries = new TreeMap<>();

    private static String prefix(String tenant, String customerId) {
        return tenant + "\u0000" + customerId + "\u0000";
    }

    @Override
    public synchronized List<Subscription> subscriptions(String tenant, String customerId) {
        String p = prefix(tenant, customerId);
        List<Subscription> out = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (k.startsWith(p)) {
                out.add(e.subscription());
            }
        });
        out.sort(Comparator.comparing(Subscription::templateId));
        return out;
    }

    /** The stored state, for tests that check what is kept. */
    public synchronized SubscriptionState state(String tenant, String customerId, String templateId) {
        return entries.getOrDefault(prefix(tenant, customerId) + templateId, SubscriptionState.none(templateId));
    }

    private SubscriptionState change(String tenant, String customerId, String templateId,
                                     UnaryOperator<SubscriptionState> how) {
        SubscriptionState now = how.apply(state(tenant, customerId, templateId));
        entries.put(prefix(tenant, customerId) + templateId, now);
        return now;
    }

    @Override
    public synchronized Subscription answered(String tenant, String customerId, String templateId, Answer answer,
                                              String requestId, Instant at) {
        return change(tenant, customerId, templateId, s -> s.answered(answer, requestId, at)).subscription();
    }

    @Override
    public synchronized boolean answeredBefore(String tenant, String customerId, String templateId,
                                               String requestId) {
        return state(tenant, customerId, templateId).answeredBefore(requestId);
    }

    @Override
    public synchronized boolean take(String tenant, String customerId, String templateId, String touchId, Instant at) {
        if (!entries.containsKey(prefix(tenant, customerId) + templateId)) {
            return false;
        }
        return change(tenant, customerId, templateId, s -> s.take(touchId, at)).holds(touchId);
    }

    @Override
    public synchronized boolean took(String tenant, String customerId, String templateId, String touchId) {
        return state(tenant, customerId, templateId).holds(touchId);
    }

    @Override
    public synchronized void giveBack(String tenant, String customerId, String templateId, String touchId,
                                      Instant at) {
        if (took(tenant, customerId, templateId, touchId)) {
            change(tenant, customerId, templateId, s -> s.givenBack(touchId));
        }
    }

    @Override
    public synchronized void refused(String tenant, String customerId, String templateId, String touchId,
                                     Instant at) {
        change(tenant, customerId, templateId, s -> s.refused(touchId, at));
    }

    @Override
    public synchronized void move(String tenant, String absorbed, String survivor, Instant at) {
        for (Subscription s : subscriptions(tenant, absorbed)) {
            if (!s.live()) {
                continue;
            }
            // Both sides under one lock, as the DynamoDB store's transaction: a merge made again moves nothing twice.
            change(tenant, absorbed, s.templateId(), x -> x.withRemaining(0));
            change(tenant, survivor, s.templateId(), x -> {
                SubscriptionState had = x.lastResult() == null
                        ? new SubscriptionState(s.templateId(), 0, 0, s.lastResult(), s.at(), Map.of(), Map.of(),
                        x.version())
                        : x;
                return had.withRemaining(Math.min(SubscriptionState.MAX_REMAINING,
                        had.remaining() + s.remaining()));
            });
        }
    }
}
