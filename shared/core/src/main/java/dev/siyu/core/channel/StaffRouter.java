package dev.siyu.core.channel;

import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.StaffMember;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Picks the staff member a new customer goes to. Pure: the caller reads the pool's load from
 * {@code StaffLoadStore} and records the add afterwards, so this stays testable without a table.
 */
public final class StaffRouter {

    /**
     * @param members the pool in config order (the order rotation and ties follow)
     * @return empty when every member has reached their daily_add_limit today
     */
    public Optional<StaffMember> route(RoutingType type, List<StaffMember> members, PoolLoad load) {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        if (type == RoutingType.ROUND_ROBIN) {
            return nextInRotation(members, load);
        }
        return leastLoaded(members, load);
    }

    /** AUTO_ASSIGN and LOCATION_BASED: fewest active customers, then fewest adds today, then config order. */
    private static Optional<StaffMember> leastLoaded(List<StaffMember> members, PoolLoad load) {
        Comparator<Integer> byLoad = Comparator.<Integer>comparingLong(i -> load.active(members.get(i).userId()))
                .thenComparingLong(i -> load.adds(members.get(i).userId()))
                .thenComparingInt(i -> i);
        return IntStream.range(0, members.size()).boxed()
                .filter(i -> hasRoom(members.get(i), load))
                .min(byLoad)
                .map(members::get);
    }

    /** The member at the rotation position; a full member passes their turn to the next one. */
    private static Optional<StaffMember> nextInRotation(List<StaffMember> members, PoolLoad load) {
        int start = (int) Math.floorMod(load.rotation(), (long) members.size());
        for (int step = 0; step < members.size(); step++) {
            StaffMember candidate = members.get((start + step) % members.size());
            if (hasRoom(candidate, load)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean hasRoom(StaffMember member, PoolLoad load) {
        return load.adds(member.userId()) < member.dailyAddLimit();
    }
}
