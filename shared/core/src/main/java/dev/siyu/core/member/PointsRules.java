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
     * Whether the entry brings points that expire: an earn, or a lot of an earn moved onto a survivor by a merge
     * (MERGE_IN with the earn's own expiry), so a merge neither stops nor delays points expiring.
     */
    public static boolean expiringLot(LedgerEntry e) {
        return (e.kind() == LedgerEntry.Kind.EARN || e.kind() == LedgerEntry.Kind.MERGE_IN) && e.expiresAt() != null
                && e.points() > 0;
    }

    /**
     * Points due to expire at now: earned points whose expiry passed, less what was already spent, expired or
     * reversed (spending takes the oldest points first), never more than the balance.
     */
    public static long dueToExpire(List<LedgerEntry> entries, long balance, Instant now) {
        long expired = 0;
        long debited = 0;
        for (LedgerEntry e : entries) {
            if (expiringLot(e) && !e.expiresAt().isAfter(now)) {
                expired += e.points();
            } else if (e.points() < 0 && e.kind() != LedgerEntry.Kind.MERGE_OUT) {
                debited -= e.points();
            }
        }
        return Math.max(0, Math.min(balance, expired - debited));
    }

    /** Points that expire at a time (never: null). */
    public record Lot(long points, Instant expiresAt) { }

    /**
     * What is left of a ledger's points by expiry, soonest first, the points that never expire last (null expiry):
     * spending, expiry and reversals took the soonest expiring points first (the rule {@link #dueToExpire} counts
     * by), and the lots add up to balance. What a merge moves, lot by lot, so the points keep their expiry.
     */
    public static List<Lot> lots(List<LedgerEntry> entries, long balance) {
        List<Lot> earned = new ArrayList<>();
        long debited = 0;
        for (LedgerEntry e : entries) {
            if (expiringLot(e)) {
                earned.add(new Lot(e.points(), e.expiresAt()));
            } else if (e.points() < 0 && e.kind() != LedgerEntry.Kind.MERGE_OUT) {
                debited -= e.points();
            }
        }
        earned.sort(java.util.Comparator.comparing(Lot::expiresAt));
        List<Lot> left = new ArrayList<>();
        long expiring = 0;
        for (Lot l : earned) {
            long take = Math.min(l.points(), debited);
            debited -= take;
            if (l.points() > take) {
                left.add(new Lot(l.points() - take, l.expiresAt()));
                expiring += l.points() - take;
            }
        }
        // Never more than the balance: what is over is taken from the soonest expiring lots.
        while (expiring > balance && !left.isEmpty()) {
            Lot first = left.remove(0);
            long cut = Math.min(first.points(), expiring - balance);
            expiring -= cut;
            if (first.points() > cut) {
                left.add(0, new Lot(first.points() - cut, first.expiresAt()));
            }
        }
        if (balance > expiring) {
            left.add(new Lot(balance - expiring, null));
        }
        return left;
    }
}
