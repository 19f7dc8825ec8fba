package dev.siyu.core.config;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The staff and stores a blueprint declares, for the channel codes and community rules that route to them.
 *
 * @param pools        every concrete pool a staff member is in, sorted as messages list them
 * @param storeEntries how many store entries were written, valid or not: location_based codes need one,
 *                     and a wrong store is reported already
 */
record Roster(List<StaffMember> staff, SortedSet<String> pools, List<Store> stores, int storeEntries) {
    Roster {
        staff = List.copyOf(staff);
        pools = Collections.unmodifiableSortedSet(new TreeSet<>(pools));
        stores = List.copyOf(stores);
    }
}
