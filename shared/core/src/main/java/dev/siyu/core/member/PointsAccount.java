package dev.siyu.core.member;

import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A member's points: redemption, expiry and the balance as the Mini Program shows it. Every change is one
 * ledger entry posted with the profile it changes (PointsLedger), idempotent by its request id.
 */
public final class PointsAccount {
    private static final System.Logger LOG = System.getLogger(PointsAccount.class.getName());
    private final PointsLedger ledger;
    private final PointsRules rules;

    public PointsAccount(PointsLedger ledger, PointsRules rules) {
        this.ledger = ledger;
        this.rules = rules;
    }

    /**
     * A perk's limit, checked on the same copy of the profile the redemption is posted on (so again on every
     * retry after a concurrent change): the claim lands with the entry or not at all, and two claims racing
     * for the last allowed perk cannot both pass.
     */
    public interface PerkClaim {
        /** Whether the perk may be claimed by the customer as latest shows them. */
        boolean allows(CustomerProfile latest);

        /** The perk_claimed event, posted with the entry. */
        TimelineEvent claimed();
    }

    /**
     * Spends points on a reward: refused (REFUSED) when the balance is short, whatever else is spent at the
     * same moment; the same requestId spends once.
     */
    public PointsLedger.Result redeem(String tenant, String customerId, String requestId, long points, String reward,
                                      Instant now) {
        return redeem(tenant, customerId, requestId, points, reward, now, null);
    }

    /** The same, for a perk (null: none): REFUSED as well when perk does not allow the claim on the latest profile. */
    public PointsLedger.Result redeem(String tenant, String customerId, String requestId, long points, String reward,
                                      Instant now, PerkClaim perk) {
        if (points <= 0) {
            throw new IllegalArgumentException("a redemption spends a positive number of points: " + points);
        }
        String eventId = "pts-" + requestId;
        PointsLedger.Result r = ledger.post(tenant, customerId, requestId, latest -> {
            if (latest.mergedInto().isPresent() || (perk != null && !perk.allows(latest))) {
                return Optional.empty();
            }
            // Points whose expiry passed are not spendable, whether or not the nightly job has taken them yet
            // (a ledger Query per attempt, only for a blueprint whose points expire).
            long expired = rules.membership().pointsExpireAfter() == null ? 0 : PointsRules.dueToExpire(
                    ledger.entries(tenant, customerId), latest.activity().points().balance(), now);
            if (latest.activity().points().balance() - expired < points) {
                return Optional.empty();
            }
            CustomerProfile claiming = perk == null ? latest : latest.withActivity(latest.activity().claimedPerk(), now);
            return rules.apply(claiming, requestId, LedgerEntry.Kind.REDEEM, -points, 0, now, null, reward, eventId)
                    .map(c -> {
                        List<TimelineEvent> events = with(c.events(), new TimelineEvent(eventId, now,
                                "points_redeemed", null, Map.of("points", Long.toString(points), "reward", reward,
                                "balance", Long.toString(c.entry().balanceAfter()))));
                        if (perk != null) {
                            events = new java.util.ArrayList<>(events);
                            events.add(perk.claimed());
                        }
                        return new PointsLedger.Applied(c.profile(), c.entry(), events);
                    });
        });
        LOG.log(Level.INFO, JsonLog.line("points redemption", "tenant", tenant, "customer", customerId,
                "outcome", r.outcome().name(), "points", points, "conflicts", r.conflicts()));
        return r;
    }

    /** Expires the points due at now (blueprint points_expire_after); nothing when none are due. */
    public Optional<PointsLedger.Result> expire(String tenant, String customerId, Instant now) {
        if (rules.membership().pointsExpireAfter() == null) {
            return Optional.empty();
        }
        List<LedgerEntry> entries = ledger.entries(tenant, customerId);
        Instant cutoff = entries.stream().filter(e -> PointsRules.expiringLot(e)
                && !e.expiresAt().isAfter(now)).map(LedgerEntry::expiresAt).max(Instant::compareTo).orElse(null);
        if (cutoff == null) {
            return Optional.empty();
        }
        // One request per cutoff: run twice (or concurrently), the same expiry is posted once.
        String requestId = "expire-" + cutoff.toEpochMilli();
        return Optional.of(ledger.post(tenant, customerId, requestId, latest -> {
            long due = PointsRules.dueToExpire(ledger.entries(tenant, customerId), latest.activity().points().balance(),
                    now);
            if (due == 0) {
                return Optional.empty();
            }
            return rules.apply(latest, requestId, LedgerEntry.Kind.EXPIRE, -due, 0, now, null, "expiry",
                            "pts-" + requestId)
                    .map(c -> new PointsLedger.Applied(c.profile(), c.entry(), with(c.events(), new TimelineEvent(
                            "pts-" + requestId, now, "points_expired", null, Map.of("points", Long.toString(due))))));
        }));
    }

    private static List<TimelineEvent> with(List<TimelineEvent> events, TimelineEvent e) {
        java.util.ArrayList<TimelineEvent> all = new java.util.ArrayList<>(events);
        all.add(0, e);
        return all;
    }
}
