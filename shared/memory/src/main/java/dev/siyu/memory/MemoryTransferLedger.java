package dev.siyu.memory;

import dev.siyu.core.port.TransferLedger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The open transfer pairs in memory, in name order as the table's sort key keeps them. */
public final class MemoryTransferLedger implements TransferLedger {
    private final Map<String, Instant> open = new ConcurrentSkipListMap<>();

    @Override
    public void open(String tenant, String handover, String takeover, Instant at) {
        open.put(tenant + "\n" + handover + "\n" + takeover, at);
    }

    @Override
    public List<Pair> openPairs(String tenant) {
        return open.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + "\n")).map(e -> {
            String[] k = e.getKey().split("\n", -1);
            return new Pair(k[1], k[2], e.getValue());
        }).toList();
    }

    @Override
    public void close(String tenant, String handover, String takeover, Instant openedAt) {
        open.remove(tenant + "\n" + handover + "\n" + takeover, openedAt);
    }
}
