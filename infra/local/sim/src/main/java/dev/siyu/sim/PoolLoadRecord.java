package dev.siyu.sim;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * One staff member's counters in one routing pool at the end of a simulation, as loads.jsonl records
 * them: what routing reads (StaffLoadStore), to check against the adds and deletes on the timelines.
 *
 * @param activeCustomers the pool's count of the member's active customers
 * @param adds            the member's friend-adds counted per day (tenant's zone), days with none left out
 */
public record PoolLoadRecord(String pool, String staff, long activeCustomers, Map<LocalDate, Long> adds) {
    public PoolLoadRecord {
        adds = new TreeMap<>(adds);
    }
}
