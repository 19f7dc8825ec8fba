package dev.siyu.core.config;

import dev.siyu.core.member.PhoneNumbers;
import dev.siyu.core.profile.IdentityType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code membership}: points_per_unit, currency, points_expire_after, tiers (name, min_points, benefits) and
 * identity_blocklist (identity type -> values). Each problem is reported at its line; the rest is still checked.
 */
final class MembershipReader {
    static final List<String> KEYS = List.of("points_per_unit", "currency", "points_expire_after", "tiers",
            "identity_blocklist");
    static final List<String> TIER_KEYS = List.of("name", "min_points", "benefits");
    /** A generous bound: a points rate above it is a typo (a price pasted in), not a programme. */
    static final int MAX_POINTS_PER_UNIT = 1000;

    private final ProblemLog log;

    MembershipReader(ProblemLog log) {
        this.log = log;
    }

    Membership read(YamlMap section) {
        section.allowOnly(KEYS);
        int rate = section.integer("points_per_unit", 0, MAX_POINTS_PER_UNIT, "").orElse(0);
        String currency = section.string("currency", false).filter(c -> {
            try {
                Currency.getInstance(c);
                return c.equals(c.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                log.add(section.at("currency"), "currency '" + c + "' is not an ISO 4217 code such as CNY");
                return false;
            }
        }).orElse(Membership.NONE.currency());
        Duration expiry = section.string("points_expire_after", false).flatMap(text -> {
            Optional<Duration> d = Delay.amount(text).filter(x -> !x.isZero());
            if (d.isEmpty()) {
                log.add(section.at("points_expire_after"), "points_expire_after '" + text + "' must be "
                        + "a number of days such as 365d");
            }
            return d;
        }).orElse(null);
        List<Membership.Tier> tiers = section.maps("tiers", false).map(this::tiers).orElse(List.of());
        Map<IdentityType, Set<String>> blocklist = section.map("identity_blocklist", false).map(this::blocklist)
                .orElse(Map.of());
        return new Membership(rate, currency, expiry, tiers, blocklist);
    }

    private List<Membership.Tier> tiers(List<YamlMap> maps) {
        List<Membership.Tier> tiers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long previous = -1;
        for (YamlMap m : maps) {
            m.allowOnly(TIER_KEYS);
            Optional<String> name = m.string("name", true);
            Optional<Integer> min = m.integer("min_points", true);
            List<String> benefits = m.strings("benefits", false).orElse(List.of()).stream()
                    .map(YamlMap.Item::value).toList();
            name.filter(n -> !names.add(n)).ifPresent(n -> log.add(m.at("name"), "tier '" + n + "' is declared twice"));
            if (min.isPresent()) {
                if (tiers.isEmpty() && min.get() != 0) {
                    log.add(m.at("min_points"), "the first tier must have min_points 0 (every member has a tier)");
                } else if (min.get() <= previous) {
                    log.add(m.at("min_points"), "min_points " + min.get() + " must be above the previous tier's "
                            + previous + " (list tiers from the lowest)");
                }
                previous = min.get();
            }
            if (name.isPresent() && min.isPresent()) {
                tiers.add(new Membership.Tier(name.get(), min.get(), benefits));
            }
        }
        return tiers;
    }

    private Map<IdentityType, Set<String>> blocklist(YamlMap section) {
        List<String> types = Arrays.stream(IdentityType.values()).map(IdentityType::key).toList();
        section.allowOnly(types);
        Map<IdentityType, Set<String>> out = new LinkedHashMap<>();
        for (IdentityType type : IdentityType.values()) {
            for (YamlMap.Item item : section.strings(type.key(), false).orElse(List.of())) {
                String value = item.value();
                if (type == IdentityType.PHONE) {
                    Optional<String> e164 = PhoneNumbers.e164(value);
                    if (e164.isEmpty()) {
                        log.add(item.where(), "'" + value + "' is not a phone number (write it as +8613800138000)");
                        continue;
                    }
                    value = e164.get();
                } else if (type == IdentityType.EMAIL) {
                    value = value.trim().toLowerCase(java.util.Locale.ROOT);
                }
                out.computeIfAbsent(type, t -> new HashSet<>()).add(value);
            }
        }
        return out;
    }
}
