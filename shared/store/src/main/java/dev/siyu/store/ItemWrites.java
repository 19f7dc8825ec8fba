package dev.siyu.store;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes per item (pk and sk) over a run, for the benchmarks' hot-item report: DynamoDB serves one item
 * (one partition key, in fact) at most about 1,000 write units a second, so the item that receives the
 * most writes per event sets the rate at which a tenant meets that wall. Thread-safe.
 */
public final class ItemWrites {
    private final Map<String, LongAdder> perItem = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> perPartition = new ConcurrentHashMap<>();

    /** One item and how many writes it received. */
    public record Hot(String key, long writes) {
    }

    void write(Map<String, AttributeValue> key) {
        if (key == null) {
            return;
        }
        String pk = text(key.get(SiyuTable.PK));
        perItem.computeIfAbsent(pk + " | " + text(key.get(SiyuTable.SK)), k -> new LongAdder()).increment();
        perPartition.computeIfAbsent(pk, k -> new LongAdder()).increment();
    }

    public void reset() {
        perItem.clear();
        perPartition.clear();
    }

    /** The n items that received the most writes, most first. */
    public List<Hot> hottestItems(int n) {
        return top(perItem, n);
    }

    /** The n partition keys that received the most writes (all their sort keys together), most first. */
    public List<Hot> hottestPartitions(int n) {
        return top(perPartition, n);
    }

    public long total() {
        return perItem.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static List<Hot> top(Map<String, LongAdder> counts, int n) {
        return counts.entrySet().stream().map(e -> new Hot(e.getKey(), e.getValue().sum()))
                .sorted(Comparator.comparingLong(Hot::writes).reversed().thenComparing(Hot::key)).limit(n).toList();
    }

    private static String text(AttributeValue v) {
        return v == null ? "" : v.s() != null ? v.s() : v.n() != null ? v.n() : String.valueOf(v);
    }
}
