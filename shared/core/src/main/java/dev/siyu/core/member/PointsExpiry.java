package dev.siyu.core.member;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.miniapp.MemberDetails;
import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.PointsLedger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The daily points-expiry job: expires the points of every member holding an earn that expired, day by day.
 *
 * <p>Who to look at comes from the ledger's index of earns by the (UTC) day their points expire
 * ({@link PointsLedger#expiringOn}), so a run reads the members whose points are due, not every ledger. It takes
 * the days before today (UTC) not yet done, at most {@link #LOOKBACK_DAYS} back: every earn listed under such a
 * day has expired by the time the run starts, so points expire within a day of their time. A day is claimed
 * with a lease and marked done when all its members are through.
 *
 * <p>Exactly once without relying on anything running to its end: {@link PointsAccount#expire} posts one entry
 * per member and cutoff (idempotent by request id), and the {@code points_expired} notification is keyed by
 * that entry. A run that dies half way leaves the day claimed until its lease runs out; the next run goes
 * through the day again, finds the expired members' entries posted (duplicates, nothing taken twice), adds a
 * notification a crash cut short, and goes on with the rest.
 */
public final class PointsExpiry {
    /** Days before today a run still looks at: a missed run (an outage) is caught up on the next one. */
    public static final int LOOKBACK_DAYS = 14;
    /** A run is minutes; a claim older than this belongs to a run that died. */
    static final Duration LEASE = Duration.ofMinutes(15);
    /** A done day is kept long after it left the lookback window. */
    static final Duration KEEP_DONE = Duration.ofDays(LOOKBACK_DAYS + 30L);
    public static final String NOTIFICATION_KIND = "points_expired";
    /**
     * The scheduler stops a job well before Lambda's 300 s: a day left unfinished is released, so the scheduler's
     * retry (or the next night) goes through it again, the members already expired answering as duplicates.
     */
    static final Duration BUDGET = Duration.ofSeconds(240);
    private static final System.Logger LOG = System.getLogger(PointsExpiry.class.getName());

    private final String tenant;
    private final PointsLedger ledger;
    private final PointsAccount points;
    private final CustomerStore customers;
    private final MemberDetailsStore details;
    private final boolean pointsExpire;

    public PointsExpiry(String tenant, PointsLedger ledger, PointsRules rules, CustomerStore customers,
                        MemberDetailsStore details) {
        this.tenant = tenant;
        this.ledger = ledger;
        this.points = new PointsAccount(ledger, rules);
        this.customers = customers;
        this.details = details;
        this.pointsExpire = rules.membership().pointsExpireAfter() != null;
    }

    /**
     * What a run did: the days it went through, the members it looked at, those whose points expired (by this
     * run or, for a day gone through again, by the one before), the points taken, and why it did less than all
     * (empty when it did all: job summaries hold no nulls).
     */
    public record Summary(List<String> days, int members, int expired, long points, String note) { }

    private static boolean past(long deadline) {
        return System.nanoTime() - deadline > 0;
    }

    public Summary run(Instant now) {
        if (!pointsExpire) {
            return new Summary(List.of(), 0, 0, 0, "the blueprint's points never expire (no points_expire_after)");
        }
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        List<String> days = new java.util.ArrayList<>();
        int members = 0;
        int expired = 0;
        long taken = 0;
        // A budget on the instance's own timer (not the tenant's clock, which a simulation runs virtually).
        long deadline = System.nanoTime() + BUDGET.toNanos();
        String unfinished = null;
        for (LocalDate day = today.minusDays(LOOKBACK_DAYS); day.isBefore(today) && unfinished == null;
             day = day.plusDays(1)) {
            DedupKey key = new DedupKey("points-expiry|" + day);
            String token = CustomerStore.newToken();
            if (customers.claimLease(tenant, key, token, now, now.plus(LEASE)) != CustomerStore.Claim.WON) {
                continue;
            }
            for (String customerId : ledger.expiringOn(tenant, day)) {
                if (past(deadline)) {
                    unfinished = day.toString();
                    break;
                }
                members++;
                long p = expire(customerId, now);
                if (p > 0) {
                    expired++;
                    taken += p;
                }
            }
            if (unfinished != null) {
                customers.release(tenant, key, token);
                break;
            }
            customers.complete(tenant, key, token, now, KEEP_DONE);
            days.add(day.toString());
        }
        LOG.log(Level.INFO, JsonLog.line("points expiry", "tenant", tenant, "days", days, "members", members,
                "expired", expired, "points", taken, "unfinished", String.valueOf(unfinished)));
        return new Summary(List.copyOf(days), members, expired, taken,
                unfinished == null ? "" : "out of time in " + unfinished + ": the next run goes on with it");
    }

    /** The points the member's expiry took (posted now or by an earlier run), and its notification. */
    private long expire(String customerId, Instant now) {
        var result = points.expire(tenant, customerId, now);
        if (result.isEmpty() || result.get().entry() == null
                || result.get().entry().kind() != LedgerEntry.Kind.EXPIRE) {
            return 0;
        }
        LedgerEntry e = result.get().entry();
        long p = -e.points();
        // Keyed by the entry: a run going through the day again adds it once, whether or not the first got to it.
        details.update(tenant, customerId, d -> d.notified(new MemberDetails.Notification("expiry-" + e.requestId(),
                NOTIFICATION_KIND, "Points expired", p + " points expired; your balance is " + e.balanceAfter(),
                e.at(), false)));
        return p;
    }
}
