package dev.siyu.core.port;

import java.time.Instant;
import java.util.List;

/**
 * The staff pairs (departed member -> successor) with customer transfers WeCom has not finished. The
 * offboarding poll asks WeCom about these only, and reads profiles only while one is open: without it,
 * every hourly poll walked every profile of the tenant to find the few transfers in flight.
 */
public interface TransferLedger {
    /** A pair with transfers in flight; safe to repeat. Opened before the transfer call, so a crash leaves it open. */
    void open(String tenant, String handover, String takeover, Instant at);

    /** Every open pair. */
    List<Pair> openPairs(String tenant);

    /**
     * The pair's transfers are all settled: closes it unless it was opened again after {@code openedAt} (an
     * overlapping run handing more customers over), so a poll never closes what it did not see.
     */
    void close(String tenant, String handover, String takeover, Instant openedAt);

    /** @param openedAt when it was (last) opened */
    record Pair(String handover, String takeover, Instant openedAt) { }
}
