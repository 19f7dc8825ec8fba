package dev.siyu.core.schedule;

import dev.siyu.core.condition.Facts;
import dev.siyu.core.config.Community;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Freeloader prevention at the moment a perk (coupon, flash-sale access, red envelope) is claimed: the
 * seed's "new user observation periods, benefit claim thresholds, abnormal behavior detection". Asked by
 * whoever hands out the perk, before handing it out; the caller records {@value #PERK_CLAIMED} on the
 * timeline when it does. First answer that applies wins:
 * <ol>
 *   <li>FLAGGED: the daily {@link FreeloaderScan} flagged the customer ({@code abnormal_claims}), or
 *       pruning downgraded them and they are still inactive: perks pause until an operator (or renewed
 *       activity) says otherwise;</li>
 *   <li>WAIT_OBSERVATION(until): the customer's earliest group join is less than
 *       {@link Community#observationDays()} ago (a customer in no group counts from being added);</li>
 *   <li>OVER_THRESHOLD(until): {@link Community#maxPerksPer30Days()} perks were claimed in the last 30 days;
 *       until is when the oldest of them leaves the window;</li>
 *   <li>ALLOW.</li>
 * </ol>
 * The 30-day count reads {@value #PERK_CLAIMED} events from the timeline, not
 * {@code Activity.perksClaimed}: that is a lifetime total and cannot say when a claim leaves the window.
 * The earliest join is read from the group member lists of the customer's groups (one read per group,
 * at most 500 members each), since the profile keeps which groups, not when.
 */
public final class PerkPolicy {
    public static final String PERK_CLAIMED = "perk_claimed";
    static final Duration WINDOW = Duration.ofDays(30);

    private final Community community;
    private final GroupStore groups;
    private final CustomerStore customers;

    public PerkPolicy(Community community, GroupStore groups, CustomerStore customers) {
        this.community = Objects.requireNonNull(community, "community");
        this.groups = groups;
        this.customers = customers;
    }

    public enum Verdict { ALLOW, WAIT_OBSERVATION, OVER_THRESHOLD, FLAGGED }

    /** until is set for WAIT_OBSERVATION and OVER_THRESHOLD: when the answer may change. */
    public record PerkDecision(Verdict verdict, Instant until, String reason) {
        public boolean allowed() {
            return verdict == Verdict.ALLOW;
        }
    }

    public PerkDecision decide(CustomerProfile p, Instant now) {
        return decide(p, now, Map.of());
    }

    /**
     * The same, counting also posted claims (event id to time) whose perk_claimed events may not be on the
     * timeline yet (a ledger writes them after its transaction): each claim counts once, by event id.
     */
    public PerkDecision decide(CustomerProfile p, Instant now, Map<String, Instant> postedClaims) {
        if (p.activity().flags().contains(FreeloaderScan.ABNORMAL_CLAIMS)) {
            return new PerkDecision(Verdict.FLAGGED, null, "flagged for abnormal claims (" + p.activity().perksClaimed()
                    + " perks without a purchase); an operator reviews before perks resume");
        }
        if (p.activity().flags().contains(CommunityCare.DOWNGRADED) && stillInactive(p, now)) {
            return new PerkDecision(Verdict.FLAGGED, null, "downgraded as an inactive member; perks resume once they"
                    + " take part again");
        }
        Instant joined = earliestJoin(p, now);
        Instant observed = joined.plus(Duration.ofDays(community.observationDays()));
        if (now.isBefore(observed)) {
            return new PerkDecision(Verdict.WAIT_OBSERVATION, observed, "joined at " + joined + "; new members wait "
                    + community.observationDays() + " days before perks");
        }
        List<Instant> claims = claimsInWindow(p, now, postedClaims);
        if (claims.size() >= community.maxPerksPer30Days()) {
            Instant oldest = claims.get(claims.size() - community.maxPerksPer30Days());
            return new PerkDecision(Verdict.OVER_THRESHOLD, oldest.plus(WINDOW), claims.size() + " perks claimed in the"
                    + " last 30 days (at most " + community.maxPerksPer30Days() + ")");
        }
        return new PerkDecision(Verdict.ALLOW, null, claims.size() + " of " + community.maxPerksPer30Days()
                + " perks claimed in the last 30 days");
    }

    /** The earliest join among the customer's groups; the add when they are in none (or none lists them). */
    private Instant earliestJoin(CustomerProfile p, Instant now) {
        Instant earliest = null;
        for (String chatId : p.activity().groups().keySet()) {
            for (GroupStore.Member m : groups.members(p.tenant(), chatId)) {
                if (m.customerId().equals(p.customerId()) && m.joinedAt() != null
                        && (earliest == null || m.joinedAt().isBefore(earliest))) {
                    earliest = m.joinedAt();
                }
            }
        }
        if (earliest != null) {
            return earliest;
        }
        return p.createdAt() == null ? now : p.createdAt();
    }

    /** Claims within the last 30 days, oldest first. */
    private List<Instant> claimsInWindow(CustomerProfile p, Instant now, Map<String, Instant> postedClaims) {
        Instant since = now.minus(WINDOW);
        Map<String, Instant> byId = new java.util.HashMap<>(postedClaims);
        // only the window's events: a store reads them as one sort-key range, not the whole history
        for (TimelineEvent e : customers.timeline(p.tenant(), p.customerId(), since)) {
            if (PERK_CLAIMED.equals(e.kind())) {
                byId.put(e.eventId(), e.at());
            }
        }
        List<Instant> claims = new ArrayList<>();
        for (Instant at : byId.values()) {
            if (at.isAfter(since) && !at.isAfter(now)) {
                claims.add(at);
            }
        }
        claims.sort(null);
        return claims;
    }

    private boolean stillInactive(CustomerProfile p, Instant now) {
        Instant added = p.createdAt() == null ? now : p.createdAt();
        Instant last = p.activity().lastInteractionAt() == null ? added : p.activity().lastInteractionAt();
        return Facts.days(last, now) >= community.inactiveDays();
    }
}
