package dev.siyu.store;

import java.util.Collection;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Adds up the DynamoDB capacity units the stores consumed, as DynamoDB reported them
 * (ReturnConsumedCapacity TOTAL), so a benchmark can print units per event and the cost model
 * rests on measurements. One meter is shared by all stores of a process; it is thread-safe.
 */
public final class CapacityMeter {
    private final DoubleAdder reads = new DoubleAdder();
    private final DoubleAdder writes = new DoubleAdder();
    private final LongAdder requests = new LongAdder();

    public double reads() {
        return reads.sum();
    }

    public double writes() {
        return writes.sum();
    }

    /** DynamoDB requests made, successful or not: the latency that matters is per round trip. */
    public long requests() {
        return requests.sum();
    }

    public void reset() {
        reads.reset();
        writes.reset();
        requests.reset();
    }

    public Snapshot snapshot() {
        return new Snapshot(reads(), writes(), requests());
    }

    void read(ConsumedCapacity consumed) {
        requests.increment();
        if (consumed != null && consumed.capacityUnits() != null) {
            reads.add(consumed.capacityUnits());
        }
    }

    void write(ConsumedCapacity consumed) {
        requests.increment();
        if (consumed != null && consumed.capacityUnits() != null) {
            writes.add(consumed.capacityUnits());
        }
    }

    /** BatchWriteItem reports one entry per table; each retry of unprocessed items is its own request. */
    void batchWrite(Collection<ConsumedCapacity> consumed) {
        requests.increment();
        if (consumed != null) {
            consumed.stream().filter(c -> c.capacityUnits() != null).forEach(c -> writes.add(c.capacityUnits()));
        }
    }

    /**
     * A write whose condition failed is charged but answered with an error that carries no
     * ConsumedCapacity; DynamoDB charges it like a write of the existing item (1 unit for our small
     * claim and alias items), so that figure is added here.
     */
    void rejectedWrite(double units) {
        requests.increment();
        writes.add(units);
    }

    /** Totals at one moment, for before/after differences. */
    public record Snapshot(double reads, double writes, long requests) {
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(reads - earlier.reads, writes - earlier.writes, requests - earlier.requests);
        }
    }
}
