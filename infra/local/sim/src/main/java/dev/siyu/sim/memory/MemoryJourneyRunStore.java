package dev.siyu.sim.memory;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.JourneyRunStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Journey runs in memory; every change is a compare-and-set on the step, like the conditional updates. */
public final class MemoryJourneyRunStore implements JourneyRunStore {
    private final Map<String, JourneyRun> runs = new ConcurrentHashMap<>();

    private static String key(String tenant, String customer, String journey, String runId) {
        return tenant + "#" + customer + "#" + journey + "#" + runId;
    }

    @Override
    public boolean start(JourneyRun run) {
        return runs.putIfAbsent(key(run.tenant(), run.customerId(), run.journey(), run.runId()), run) == null;
    }

    @Override
    public Optional<JourneyRun> run(String tenant, String customerId, String journey, String runId) {
        return Optional.ofNullable(runs.get(key(tenant, customerId, journey, runId)));
    }

    @Override
    public List<JourneyRun> runs(String tenant, String customerId) {
        String prefix = tenant + "#" + customerId + "#";
        return runs.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .sorted(Comparator.comparing(JourneyRun::startedAt)).toList();
    }

    @Override
    public boolean claim(String tenant, String customerId, String journey, String runId, int from) {
        return change(key(tenant, customerId, journey, runId), r -> r.active() && r.step() == from ? r.atStep(from + 1) : null);
    }

    @Override
    public void unclaim(String tenant, String customerId, String journey, String runId, int from) {
        change(key(tenant, customerId, journey, runId), r -> r.active() && r.step() == from + 1 ? r.atStep(from) : null);
    }

    @Override
    public boolean end(String tenant, String customerId, String journey, String runId, int atStep,
                       JourneyRun.Status status, String reason, Instant at) {
        return change(key(tenant, customerId, journey, runId),
                r -> r.active() && r.step() == atStep ? r.ended(status, reason, at) : null);
    }

    @Override
    public boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at) {
        return change(key(tenant, customerId, journey, runId), r -> r.goalReachedAt() == null ? r.goalReached(at) : null);
    }

    /** Applies next when it returns non-null, atomically; true when it did. */
    private boolean change(String key, UnaryOperator<JourneyRun> next) {
        boolean[] changed = {false};
        runs.computeIfPresent(key, (k, r) -> {
            JourneyRun n = next.apply(r);
            changed[0] = n != null;
            return n == null ? r : n;
        });
        return changed[0];
    }
}
