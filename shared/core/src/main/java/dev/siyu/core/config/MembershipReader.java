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
 * {@code membership}: points_per_unit, currency, points_expire_after, tiers (name, min_points, benefits),
 * identity_blocklist (identity type -> values), rewards (id, name, points, perk) and challenges (id, name, measure,
 * target). Each problem is reported at its line; the rest is still checked.
 */
final class MembershipReader {
    static final List<String> KEYS = List.of("points_per_unit", "currency", "points_expire_after", "tiers",
            "identity_blocklist", "rewards", "challenges");
    static final List<String> TIER_KEYS = List.of("name", "min_points", "benefits");
    static final List<String> REWARD_KEYS = List.of("id", "name", "points", "perk");
    static final List<String> CHALLENGE_KEYS = List.of("id", "name", "measure", "target");
    static final List<String> MEASURES = java.util.Arrays.stream(Membership.Measure.values())
            .map(Membership.Measure::key).toList();
    /** Ids appear in the Mini Program's routes (/miniapp/rewards/{id}/redeem): URL-safe, short. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
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
        List<Membership.Reward> rewards = section.maps("rewards", false).map(this::rewards).orElse(List.of());
        List<Membership.Challenge> challenges = section.maps("challenges", false).map(this::challenges)
                .orElse(List.of());
        return new Membership(rate, currency, expiry, tiers, blocklist, rewards, challenges);
    }

    private List<Membership.Reward> rewards(List<YamlMap> maps) {
        List<Membership.Reward> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlMap m : maps) {
            m.allowOnly(REWARD_KEYS);
            Optional<String> id = id(m, ids, "reward");
            Optional<String> name = m.string("name", true);
            Optional<Integer> points = positive(m, "points", "a reward costs at least 1 point");
            boolean perk = m.bool("perk").orElse(false);
            if (id.isPresent() && name.isPresent() && points.isPresent()) {
                out.add(new Membership.Reward(id.get(), name.get(), points.get(), perk));
            }
        }
        return out;
    }

    private List<Membership.Challenge> challenges(List<YamlMap> maps) {
        List<Membership.Challenge> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlMap m : maps) {
            m.allowOnly(CHALLENGE_KEYS);
            Optional<String> id = id(m, ids, "challenge");
            Optional<String> name = m.string("name", true);
            Optional<Membership.Measure> measure = m.choice("measure", true, "measure", MEASURES)
                    .map(k -> Membership.Measure.values()[MEASURES.indexOf(k)]);
            Optional<Integer> target = positive(m, "target", "a challenge's target is at least 1");
            if (id.isPresent() && name.isPresent() && measure.isPresent() && target.isPresent()) {
                out.add(new Membership.Challenge(id.get(), name.get(), measure.get(), target.get()));
            }
        }
        return out;
    }

    /** A catalogue id: required, URL-safe, once per list. */
    private Optional<String> id(YamlMap m, Set<String> seen, String what) {
        return m.string("id", true).filter(id -> {
            if (!ID.matcher(id).matches()) {
                log.add(m.at("id"), what + " id '" + id + "' must be lowercase letters, digits, '-' or '_' (at most 64)");
                return false;
            }
            if (!seen.add(id)) {
                log.add(m.at("id"), what + " '" + id + "' is declared twice");
                return false;
            }
            return true;
        });
    }

    private Optional<Integer> positive(YamlMap m, String key, String why) {
        return m.integer(key, true).filter(v -> {
            if (v > 0) {
                return true;
            }
            log.add(m.at(key), key + " " + v + " must be positive: " + why);
            return false;
        });
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
