package dev.siyu.core.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code community} (graduation, pruning, freeloader prevention) and {@code offboarding}
 * (succession). Every field is optional and defaults to {@link Community#DEFAULTS} /
 * {@link Community.Offboarding#DEFAULTS}; a wrong one is reported and its default used, so the rest
 * is still checked.
 */
final class CommunityReader {
    static final List<String> COMMUNITY_KEYS = List.of("inactive_days", "observation_days", "max_perks_per_30_days",
            "abnormal_claims_without_purchase", "downgrade_tag");
    static final List<String> OFFBOARDING_KEYS = List.of("takeover_pools", "batch_size", "max_transfers_per_90_days");
    /** WeCom transfers at most 100 customers per call. */
    static final int MAX_BATCH = 100;
    /** WeCom lets a customer be transferred at most twice in 90 days. */
    static final int MAX_TRANSFERS_PER_90_DAYS = 2;

    private final ProblemLog log;
    private final Declared declared;

    CommunityReader(ProblemLog log, Declared declared) {
        this.log = log;
        this.declared = declared;
    }

    Community community(YamlMap section) {
        section.allowOnly(COMMUNITY_KEYS);
        Community d = Community.DEFAULTS;
        int inactive = section.integer("inactive_days", 1, 365, "").orElse(d.inactiveDays());
        int observation = section.integer("observation_days", 0, 90, "").orElse(d.observationDays());
        int perks = section.integer("max_perks_per_30_days", 0, 100, "").orElse(d.maxPerksPer30Days());
        int abnormal = section.integer("abnormal_claims_without_purchase", 1, 100, "")
                .orElse(d.abnormalClaimsWithoutPurchase());
        Optional<String> tag = section.string("downgrade_tag", false);
        tag.ifPresent(t -> declared.checkTag(new YamlMap.Item(t, section.at("downgrade_tag")), log));
        return new Community(inactive, observation, perks, abnormal, tag.orElse(d.downgradeTag()));
    }

    Community.Offboarding offboarding(YamlMap section) {
        section.allowOnly(OFFBOARDING_KEYS);
        Community.Offboarding d = Community.Offboarding.DEFAULTS;
        List<YamlMap.Item> pools = section.strings("takeover_pools", false).orElse(List.of());
        pools.forEach(p -> declared.checkPool(p, log));
        int batch = section.integer("batch_size", 1, MAX_BATCH, " (WeCom transfers at most 100 customers per call)")
                .orElse(d.batchSize());
        int transfers = section.integer("max_transfers_per_90_days", 1, MAX_TRANSFERS_PER_90_DAYS,
                " (WeCom allows a customer to be transferred at most twice in 90 days)")
                .orElse(d.maxTransfersPer90Days());
        return new Community.Offboarding(pools.stream().map(YamlMap.Item::value).toList(), batch, transfers);
    }
}
