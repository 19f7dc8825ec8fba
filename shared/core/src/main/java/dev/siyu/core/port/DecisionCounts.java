package dev.siyu.core.port;

import dev.siyu.core.gate.Decision;
import java.time.LocalDate;
import java.util.Map;

/**
 * The outreach gate's decisions counted per tenant and day,
 * for the operator's report. Keys are {@code <kind>} for ALLOW and {@code <kind>:<RULE>} otherwise,
 * e.g. {@code DROP:MASS_MESSAGE_CAP}.
 */
public interface DecisionCounts {
    void count(String tenant, LocalDate day, Decision decision);

    /** Adds several counts of one day at once (keys as {@link #key}), in one write. */
    void add(String tenant, LocalDate day, Map<String, Long> counts);

    /** Sums over from..to inclusive. */
    Map<String, Long> counts(String tenant, LocalDate from, LocalDate to);

    static String key(Decision d) {
        return d.rule() == null ? d.kind().name() : d.kind().name() + ":" + d.rule().name();
    }
}
