package dev.siyu.memory;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.JourneyRunStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Journey runs in memory, grouped per customer like the table's partition; every change is a
 * compare-and-set on the step, like the conditional updates.
 */
public final class MemoryJourneyRunStore implements JourneyRunStore {
    private final Map<String, Map<String, JourneyRun>> byCustomer = new ConcurrentHashMap<>();

    private Map<String, JourneyRun> customer(String tenant, String customerId) {
        return byCustomer.computeIfAbsent(tenant + "#" + customerId, k -> new ConcurrentHashMap<>());
    }

    private static String key(String journey, String runId) {
        return journey + "#" + runId;
    }

    @Override
    public boolean start(JourneyRun run) {
        return customer(run.tenant(), run.customerId()).putIfAbsent(key(run.journey(), run.runId()), run) == null;
    }

    @Override
    public Optional<JourneyRun> run(String tenant, String customerId, String journey, String runId) {
        return Optional.ofNullable(customer(tenant, customerId).get(key(journey, runId)));
    }

    @Override
    public List<JourneyRun> runs(String tenant, String customerId) {
        return customer(tenant, customerId).values().stream().sorted(Comparator.comparing(JourneyRun::startedAt)).toList();
    }

    @Override
    public boolean claim(String tenant, String customerId, String journey, String runId, int from) {
        return change(tenant, customerId, key(journey, runId), r -> r.active() && r.step() == from ? r.atStep(from + 1) : null);
    }

    @Override
    public void unclaim(String tenant, String customerId, String journey, String runId, int from) {
        change(tenant, customerId, key(journey, runId), r -> r.active() && r.step() == from + 1 ? r.atStep(from) : null);
    }

    @Override
    public boolean end(String tenant, String customerId, String journey, String runId, int atStep,
                       JourneyRun.Status status, String reason, Instant at) {
        return change(tenant, customerId, key(journey, runId),
                r -> r.active() && r.step() == atStep ? r.ended(status, reason, at) : null);
    }

    @Override
    public boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at) {
        return change(tenant, customerId, key(journey, runId), r -> r.goalReachedAt() == null ? r.goalReached(at) : null);
    }

    /** Applies next when it returns non-null, atomically; true when it did. */
    private boolean change(String tenant, String customerId, String key, UnaryOperator<JourneyRun> next) {
        boolean[] changed = {false};
        customer(tenant, customerId).computeIfPresent(key, (k, r) -> {
            JourneyRun n = next.apply(r);
            changed[0] = n != null;
            return n == null ? r : n;
        });
        return changed[0];
    }
}
