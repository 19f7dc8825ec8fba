package dev.siyu.core.config;

import java.util.List;
import java.util.Objects;

/**
 * Community graduation, pruning and freeloader prevention ({@code community:}), plus offboarding
 * succession ({@code offboarding:}).
 *
 * @param inactiveDays            a member with no interaction for this many days is downgraded
 *                                (tagged, perks paused, not invited up)
 * @param observationDays         a new member gets no perks (coupons, flash-sale access) for this many
 *                                days after joining a group
 * @param maxPerksPer30Days       claims above this within 30 days are refused
 * @param abnormalClaimsWithoutPurchase this many claims without any purchase flags the customer
 * @param downgradeTag            the tag a downgraded member gets (declared in tag_system)
 */
public record Community(int inactiveDays, int observationDays, int maxPerksPer30Days,
                        int abnormalClaimsWithoutPurchase, String downgradeTag) {
    public static final Community DEFAULTS = new Community(30, 3, 3, 3, "dormant_customer");

    /**
     * @param takeoverPool  the pool successors come from when the departed member's own pool has no one
     * @param batchSize     customers per transfer call, at most 100 (WeCom's limit)
     * @param maxTransfersPer90Days WeCom allows a customer to be transferred twice in 90 days
     */
    public record Offboarding(List<String> takeoverPools, int batchSize, int maxTransfersPer90Days) {
        public static final Offboarding DEFAULTS = new Offboarding(List.of(), 100, 2);

        public Offboarding {
            takeoverPools = List.copyOf(Objects.requireNonNull(takeoverPools, "takeoverPools"));
            if (batchSize < 1 || batchSize > 100) {
                throw new IllegalArgumentException("batch_size must be 1..100: " + batchSize);
            }
        }
    }
}
