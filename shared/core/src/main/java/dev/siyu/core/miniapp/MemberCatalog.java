package dev.siyu.core.miniapp;

import dev.siyu.core.config.Membership;
import java.util.List;
import java.util.Optional;

/**
 * What members can spend points on and the challenges they can take part in: the blueprint's
 * {@code membership.rewards} and {@code membership.challenges} (docs/configuration.md), read per request so a
 * newly applied blueprint is what the Mini Program shows next.
 */
public record MemberCatalog(List<Membership.Reward> rewards, List<Membership.Challenge> challenges) {
    public MemberCatalog {
        rewards = List.copyOf(rewards);
        challenges = List.copyOf(challenges);
    }

    public static MemberCatalog of(Membership membership) {
        return new MemberCatalog(membership.rewards(), membership.challenges());
    }

    public Optional<Membership.Reward> reward(String id) {
        return rewards.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
