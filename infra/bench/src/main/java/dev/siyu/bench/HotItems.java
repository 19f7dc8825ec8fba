package dev.siyu.bench;

import dev.siyu.store.ItemWrites;
import java.io.PrintStream;
import java.util.List;

/**
 * The hot-item lines of the callback and worker benches: the items that received the most writes in the
 * measured run, as writes per event, as writes/s at the measured rate, and at one tenant's design load
 * (1,000 callbacks/s, 2,000 steps/s), against the 500 writes/s every item is held to (DynamoDB's
 * per-partition wall is 1,000 WCU/s).
 */
record HotItems(List<ItemWrites.Hot> items, ItemWrites.Hot hottestCustomerItem, long events, double seconds,
                double designRate) {
    static final double ITEM_LIMIT = 500;

    /**
     * Items shared by many customers (pools, counters, listings) scale with the rate; an item under one
     * customer's key does not (a customer's steps are hours or days apart however busy the tenant is),
     * so it is reported apart, as writes over the run, not scaled to the design load.
     */
    static HotItems of(ItemWrites writes, long events, double seconds, double designRate) {
        List<ItemWrites.Hot> all = writes.hottestItems(Integer.MAX_VALUE);
        List<ItemWrites.Hot> shared = all.stream().filter(h -> !perCustomer(h)).limit(5).toList();
        ItemWrites.Hot customer = all.stream().filter(HotItems::perCustomer).findFirst().orElse(null);
        return new HotItems(shared, customer, events, seconds, designRate);
    }

    private static boolean perCustomer(ItemWrites.Hot h) {
        return h.key().contains("#C#");
    }

    double perEvent(ItemWrites.Hot h) {
        return (double) h.writes() / Math.max(1, events);
    }

    /** writes/s the hottest item received at the rate the bench ran. */
    double hottestMeasuredPerSecond() {
        return items.isEmpty() ? 0 : items.get(0).writes() / seconds;
    }

    double hottestAtDesignLoad() {
        return items.isEmpty() ? 0 : perEvent(items.get(0)) * designRate;
    }

    void print(PrintStream out, String unit) {
        out.printf("hottest shared items (writes per %s; writes/s at the measured %.0f %ss/s; at %.0f %ss/s; limit %.0f/s per item):%n",
                unit, events / seconds, unit, designRate, unit, ITEM_LIMIT);
        for (ItemWrites.Hot h : items) {
            double atDesign = perEvent(h) * designRate;
            out.printf("  %-60s %7.3f  %8.1f/s  %8.1f/s  %s%n", h.key(), perEvent(h), h.writes() / seconds, atDesign,
                    atDesign <= ITEM_LIMIT ? "ok" : "OVER");
        }
        if (hottestCustomerItem != null) {
            out.printf("  busiest customer item: %s, %d writes in the run (not scaled: one customer's pace)%n",
                    hottestCustomerItem.key(), hottestCustomerItem.writes());
        }
    }
}
