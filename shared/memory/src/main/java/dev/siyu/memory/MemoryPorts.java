package dev.siyu.memory;

import dev.siyu.core.engine.Ports;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.WeComApi;

/**
 * The in-memory ports: the engine's other port set beside DynamoPorts, for the simulator's memory mode,
 * the benchmarks and tests. Journey steps and triggers collect on a {@link MemoryQueue} for the caller
 * to deliver.
 */
public final class MemoryPorts {
    private MemoryPorts() {
    }

    /** @param wecom answers WeCom calls (usually a {@link RecordingWeComApi}) */
    public static Ports create(WeComApi wecom) {
        MemoryCustomerStore customers = new MemoryCustomerStore();
        MemoryQueue queue = new MemoryQueue();
        MemoryJourneyRunStore runs = new MemoryJourneyRunStore();
        MemoryOutreachCounters counters = new MemoryOutreachCounters();
        return new Ports(customers, CustomerSnapshots.of(customers, runs, counters), customers, runs, counters,
                new MemoryDecisionCounts(), new MemoryGroupStore(), new MemoryChannelStore(), new MemoryStaffLoadStore(), new MemoryTransferLedger(),
                new MemoryTenantLog(), new MemoryTimerStore(), queue, queue, new MemoryConfigStore(), wecom,
                new MemoryMediaCache(), new MemoryDeskStore(), new MemorySubscriptionStore(),
                new MemoryMiniProgram(java.time.Clock.systemUTC()));
    }
}
