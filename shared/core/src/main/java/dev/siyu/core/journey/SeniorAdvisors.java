package dev.siyu.core.journey;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.port.StaffLoadStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who takes a {@code senior: true} staff task: a senior advisor of the customer's pool (the pools their own
 * advisor is in), the one with the fewest active customers, the staff list's order breaking ties so a
 * redelivered step picks the same person while the loads stand still.
 */
final class SeniorAdvisors {
    private final ScrmConfig config;
    /** Null when the caller has no pool counters: every senior advisor then counts as equally loaded. */
    private final StaffLoadStore loads;

    SeniorAdvisors(ScrmConfig config, StaffLoadStore loads) {
        this.config = config;
        this.loads = loads;
    }

    /** The customer's pools, i.e. the advisor's; none when the advisor is not (or no longer) in the blueprint. */
    List<String> poolsOf(String advisor) {
        return config.staffMember(advisor).map(StaffMember::pools).orElse(List.of());
    }

    /** The least loaded senior advisor sharing a pool with the customer's advisor, if the pools have one. */
    Optional<StaffMember> leastLoaded(String advisor, Instant now) {
        List<String> pools = poolsOf(advisor);
        Map<String, StaffMember> seniors = new LinkedHashMap<>();
        for (String pool : pools) {
            config.pool(pool).stream().filter(StaffMember::seniorAdvisor).forEach(s -> seniors.putIfAbsent(s.userId(), s));
        }
        if (seniors.size() < 2 || loads == null) {
            return seniors.values().stream().findFirst();
        }
        LocalDate day = now.atZone(config.timezone()).toLocalDate();
        Map<String, Long> active = new LinkedHashMap<>();
        for (StaffMember s : seniors.values()) {
            long sum = 0;
            for (String pool : s.pools()) {
                sum += loads.load(config.tenant(), pool, day).active(s.userId());
            }
            active.put(s.userId(), sum);
        }
        // min keeps the first of equals: the staff list's order
        return seniors.values().stream().min(Comparator.comparingLong(s -> active.get(s.userId())));
    }
}
