package dev.siyu.memory;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.StepCommit;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Journey runs in memory, grouped per customer like the table's partition; every change is a
 * compare-and-set on the step (and the lease), like the conditional updates, and a start with its journey
 * marker is one step under the customer's lock, like the transaction.
 */
public final class MemoryJourneyRunStore implements JourneyRunStore {
    private final Map<String, Map<String, JourneyRun>> byCustomer = new ConcurrentHashMap<>();
    /** customer -> journey -> runs started through the marker (see {@link #start(JourneyRun, int, List)}). */
    private final Map<String, Map<String, Integer>> markers = new ConcurrentHashMap<>();

    private Map<String, JourneyRun> customer(String tenant, String customerId) {
        return byCustomer.computeIfAbsent(tenant + "#" + customerId, k -> new ConcurrentHashMap<>());
    }

    private static String key(String journey, String runId) {
        return journey + "#" + runId;
    }

    @Override
    public boolean start(JourneyRun run, int seen, List<JourneyRun> superseding) {
        Map<String, JourneyRun> mine = customer(run.tenant(), run.customerId());
        Map<String, Integer> marker = markers.computeIfAbsent(run.tenant() + "#" + run.customerId(),
                k -> new ConcurrentHashMap<>());
        synchronized (mine) {
            Integer count = marker.get(run.journey());
            if (mine.containsKey(key(run.journey(), run.runId())) || (count != null && count != seen)) {
                return false;
            }
            for (JourneyRun old : superseding) {
                JourneyRun now = mine.get(key(old.journey(), old.runId()));
                // As DynamoDB's transaction: the old run's end is refused while a delivery holds its step.
                if (now == null || !new StepCommit.RunChange(old.tenant(), old.customerId(), old.journey(),
                        old.runId(), old.step(), null, old.step(), JourneyRun.Status.EXITED, "superseded",
                        run.steppedAt() == null ? run.startedAt() : run.steppedAt()).acceptedBy(now)) {
                    return false;
                }
            }
            for (JourneyRun old : superseding) {
                mine.put(key(old.journey(), old.runId()), mine.get(key(old.journey(), old.runId()))
                        .ended(JourneyRun.Status.EXITED, "superseded", run.startedAt()));
            }
            mine.put(key(run.journey(), run.runId()), run);
            marker.put(run.journey(), seen + 1);
            return true;
        }
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
    public boolean lease(String tenant, String customerId, String journey, String runId, int step, String owner,
                         Instant now, Instant until) {
        return change(tenant, customerId, key(journey, runId),
                r -> r.active() && r.step() == step && !r.leasedToOther(owner, now) ? r.leased(owner, until) : null);
    }

    @Override
    public boolean advance(StepCommit.RunChange c) {
        return change(c.tenant(), c.customerId(), key(c.journey(), c.runId()), r -> c.acceptedBy(r) ? c.applyTo(r) : null);
    }

    @Override
    public boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at) {
        return change(tenant, customerId, key(journey, runId), r -> r.goalReachedAt() == null ? r.goalReached(at) : null);
    }

    /** Applies next when it returns non-null, atomically; true when it did. */
    private boolean change(String tenant, String customerId, String key, UnaryOperator<JourneyRun> next) {
        Map<String, JourneyRun> mine = customer(tenant, customerId);
        synchronized (mine) {
            JourneyRun r = mine.get(key);
            JourneyRun n = r == null ? null : next.apply(r);
            if (n != null) {
                mine.put(key, n);
            }
            return n != null;
        }
    }
}
