package dev.siyu.core.member;

import dev.siyu.core.config.Membership;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.Points;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arithmetic of points on one profile: a balance never below zero, points earned never below zero, and the
 * tier recalculated from points earned after every entry (a tier change is a timeline event of its own).
 */
public final class PointsRules {
    private final Membership membership;

    public PointsRules(Membership membership) {
        this.membership = membership;
    }

    public Membership membership() {
        return membership;
    }

    /** The profile and entry after changing balance by points and earned by earned; empty when it would go below zero. */
    public Optional<Changed> apply(CustomerProfile p, String requestId, LedgerEntry.Kind kind, long points,
                                   long earned, Instant at, Instant expiresAt, String reference, String eventIdBase) {
        Points had = p.activity().points();
        long balance = had.balance() + points;
        if (balance < 0) {
            return Optional.empty();
        }
        long totalEarned = Math.max(0, had.earned() + earned);
        String tier = membership.tierFor(totalEarned).map(Membership.Tier::name).orElse(had.tier());
        Activity next = p.activity().withPoints(new Points(balance, totalEarned, tier));
        List<TimelineEvent> events = new ArrayList<>();
        if (had.tier() != null && tier != null && !tier.equals(had.tier())) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("from", had.tier());
            d.put("to", tier);
            d.put("earned", Long.toString(totalEarned));
            events.add(new TimelineEvent(eventIdBase + "-tier", at, "tier_changed", null, d));
        }
        LedgerEntry entry = new LedgerEntry(requestId, kind, points, earned, at, expiresAt, reference, balance);
        return Optional.of(new Changed(p.withActivity(next, at), entry, events));
    }

    /** A profile with points changed, the entry that did it, and a tier change if there was one. */
    public record Changed(CustomerProfile profile, LedgerEntry entry, List<TimelineEvent> events) { }

    /**
     * Points due to expire at now: earned points whose expiry passed, less what was already spent, expired or
     * reversed (spending takes the oldest points first), never more than the balance.
     */
    public static long dueToExpire(List<LedgerEntry> entries, long balance, Instant now) {
        long expired = 0;
        long debited = 0;
        for (LedgerEntry e : entries) {
            if (e.kind() == LedgerEntry.Kind.EARN && e.expiresAt() != null && !e.expiresAt().isAfter(now)) {
                expired += e.points();
            } else if (e.points() < 0 && e.kind() != LedgerEntry.Kind.MERGE_OUT) {
                debited -= e.points();
            }
        }
        return Math.max(0, Math.min(balance, expired - debited));
    }
}
