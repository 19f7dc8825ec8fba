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
 * gives, when points expire, and the identity values that never link two people (a store's own phone, test
 * accounts).
 *
 * @param pointsPerUnit   points per whole unit of currency spent (388.00 CNY at 1 point per unit: 388 points)
 * @param currency        the ISO 4217 currency orders are in; an order in another one is refused
 * @param pointsExpireAfter how long earned points stay spendable; null: they never expire
 * @param tiers           by min_points ascending; the first has min_points 0
 * @param blocklist       identity type -> values (phones in E.164) never used to find or link a customer
 */
public record Membership(int pointsPerUnit, String currency, Duration pointsExpireAfter, List<Tier> tiers,
                         Map<IdentityType, Set<String>> blocklist) {
    /** No section: orders are recorded, no points, one nameless tier, nothing blocked. */
    public static final Membership NONE = new Membership(0, "CNY", null, List.of(), Map.of());

    public Membership {
        tiers = tiers.stream().sorted(Comparator.comparingLong(Tier::minPoints)).toList();
        blocklist = Map.copyOf(blocklist);
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
