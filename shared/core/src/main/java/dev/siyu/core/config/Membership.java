package dev.siyu.core.config;

import dev.siyu.core.profile.IdentityType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The blueprint's {@code membership} section: how orders earn points, the tiers points lead to and what each
 * gives, when points expire, the rewards and challenges of the catalogue, and the identity values that never link two people (a store's own phone, test
 * accounts).
 *
 * @param pointsPerUnit   points per whole unit of currency spent (388.00 CNY at 1 point per unit: 388 points)
 * @param currency        the ISO 4217 currency orders are in; an order in another one is refused
 * @param pointsExpireAfter how long earned points stay spendable; null: they never expire
 * @param tiers           by min_points ascending; the first has min_points 0
 * @param blocklist       identity type -> values (phones in E.164) never used to find or link a customer
 * @param rewards         the catalogue members redeem points for, in the blueprint's order
 * @param challenges      the goals the Mini Program shows progress toward, in the blueprint's order
 */
public record Membership(int pointsPerUnit, String currency, Duration pointsExpireAfter, List<Tier> tiers,
                         Map<IdentityType, Set<String>> blocklist, List<Reward> rewards, List<Challenge> challenges) {
    /** No section: orders are recorded, no points, one nameless tier, nothing blocked, nothing to redeem. */
    public static final Membership NONE = new Membership(0, "CNY", null, List.of(), Map.of());

    public Membership {
        tiers = tiers.stream().sorted(Comparator.comparingLong(Tier::minPoints)).toList();
        blocklist = Map.copyOf(blocklist);
        rewards = List.copyOf(rewards);
        challenges = List.copyOf(challenges);
    }

    /** Without a catalogue: no rewards, no challenges. */
    public Membership(int pointsPerUnit, String currency, Duration pointsExpireAfter, List<Tier> tiers,
                      Map<IdentityType, Set<String>> blocklist) {
        this(pointsPerUnit, currency, pointsExpireAfter, tiers, blocklist, List.of(), List.of());
    }

    /**
     * What members can spend points on. A perk (a coupon, flash-sale access) goes through PerkPolicy before the
     * points are spent; a plain reward (a sample, a gift wrap) does not.
     */
    public record Reward(String id, String name, long points, boolean perk) { }

    /** What a challenge counts, each a measure the profile already keeps. */
    public enum Measure {
        /** Orders placed. */
        ORDERS("orders"),
        /** Points earned in all (spending does not lower it). */
        POINTS_EARNED("points_earned"),
        /** Mini Program interactions (page views, clicks, shares, feedback) on the timeline. */
        INTERACTIONS("interactions");

        private final String key;

        Measure(String key) {
            this.key = key;
        }

        /** The blueprint's word for it. */
        public String key() {
            return key;
        }
    }

    /** A goal a member works toward: done when the measure reaches target. */
    public record Challenge(String id, String name, Measure measure, long target) { }

    public Optional<Reward> reward(String id) {
        return rewards.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** A tier reached at minPoints earned in all; benefits are names the Mini Program shows. */
    public record Tier(String name, long minPoints, List<String> benefits) {
        public Tier {
            benefits = List.copyOf(benefits);
        }
    }

    /** Points an order of amount earns: whole units only (rounded down), never negative. */
    public long pointsFor(BigDecimal amount) {
        if (amount.signum() <= 0) {
            return 0;
        }
        return amount.setScale(0, RoundingMode.DOWN).longValueExact() * pointsPerUnit;
    }

    /** The highest tier whose threshold earned reaches; empty without tiers. */
    /**
     * The tier a member is shown: the stored one, or for a member with no order yet (none stored) the tier the
     * blueprint gives their points earned, so a new member is in the entry tier, not in none.
     */
    public String tierShown(String stored, long earned) {
        return stored != null && !stored.isBlank() ? stored : tierFor(earned).map(Tier::name).orElse(null);
    }

    public Optional<Tier> tierFor(long earned) {
        Tier reached = null;
        for (Tier t : tiers) {
            if (earned >= t.minPoints()) {
                reached = t;
            }
        }
        return Optional.ofNullable(reached);
    }

    public boolean blocked(IdentityType type, String value) {
        return blocklist.getOrDefault(type, Set.of()).contains(value);
    }
}
