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
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The daily points-expiry job: expires the points of every member holding an earn that expired, day by day.
 *
 * <p>Who to look at comes from the ledger's index of earns by the (UTC) day their points expire
 * ({@link PointsLedger#expiringOn}), so a run reads the members whose points are due, not every ledger. It takes
 * the days before today (UTC) not yet done, at most {@link #LOOKBACK_DAYS} back: every earn listed under such a
 * day has expired by the time the run starts. A day is claimed with a lease and marked done when all its members
 * are through; within it, each stretch of {@link #STRETCH} members is marked done too, so a day too big for one
 * run's budget is finished over several runs rather than started over by each. A member whose expiry fails (a
 * RuntimeException) is logged and left, with its stretch and day open, to the next run; the others and the later
 * days go on.
 *
 * <p>Exactly once without relying on anything running to its end: {@link PointsAccount#expire} posts one entry
 * per member and cutoff (idempotent by request id), and the {@code points_expired} notification is keyed by
 * that entry. A run that dies half way leaves the day and its stretch claimed until their leases run out; the
 * next run goes through the stretch again, finds the expired members' entries posted (duplicates, nothing taken
 * twice), adds a notification a crash cut short, and goes on with the rest.
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

    /** Members a run goes through under one mark: a day cut short goes on from its first unmarked stretch. */
    static final int STRETCH = 100;

    private final String tenant;
    private final PointsLedger ledger;
    private final PointsAccount points;
    private final CustomerStore customers;
    private final MemberDetailsStore details;
    private final boolean pointsExpire;
    private final LongSupplier ticks;

    public PointsExpiry(String tenant, PointsLedger ledger, PointsRules rules, CustomerStore customers,
                        MemberDetailsStore details) {
        this(tenant, ledger, rules, customers, details, System::nanoTime);
    }

    /** @param ticks the instance's own timer in nanoseconds, which the budget is measured on */
    PointsExpiry(String tenant, PointsLedger ledger, PointsRules rules, CustomerStore customers,
                 MemberDetailsStore details, LongSupplier ticks) {
        this.tenant = tenant;
        this.ledger = ledger;
        this.points = new PointsAccount(ledger, rules);
        this.customers = customers;
        this.details = details;
        this.pointsExpire = rules.membership().pointsExpireAfter() != null;
        this.ticks = ticks;
    }

    /**
     * What a run did: the days it finished, the members it looked at, those whose points expired (by this
     * run or, for a stretch gone through again, by the one before), the points taken, and why it did less than
     * all: out of time, or members whose expiry failed (empty when it did all: job summaries hold no nulls).
     */
    public record Summary(List<String> days, int members, int expired, long points, String note) { }

    public Summary run(Instant now) {
        if (!pointsExpire) {
            return new Summary(List.of(), 0, 0, 0, "the blueprint's points never expire (no points_expire_after)");
        }
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        Tally t = new Tally();
        // A budget on the instance's own timer (not the tenant's clock, which a simulation runs virtually).
        t.deadline = ticks.getAsLong() + BUDGET.toNanos();
        // Days are independent: one with a failing member stays open (the next run tries that member again) and
        // the run goes on with the days after it; only running out of time stops it.
        for (LocalDate day = today.minusDays(LOOKBACK_DAYS); day.isBefore(today) && t.unfinished == null;
             day = day.plusDays(1)) {
            DedupKey key = new DedupKey("points-expiry|" + day);
            String token = CustomerStore.newToken();
            if (customers.claimLease(tenant, key, token, now, now.plus(LEASE)) != CustomerStore.Claim.WON) {
                continue;
            }
            boolean whole = day(day, now, t);
            if (whole) {
                customers.complete(tenant, key, token, now, KEEP_DONE);
                t.days.add(day.toString());
            } else {
                customers.release(tenant, key, token);
            }
        }
        LOG.log(Level.INFO, JsonLog.line("points expiry", "tenant", tenant, "days", t.days, "members", t.members,
                "expired", t.expired, "points", t.taken, "failed", t.failed,
                "unfinished", String.valueOf(t.unfinished)));
        List<String> notes = new ArrayList<>();
        if (t.unfinished != null) {
            notes.add("out of time in " + t.unfinished + ": the next run goes on with it");
        }
        if (t.failed > 0) {
            notes.add(t.failed + " members failed: the next run tries them again");
        }
        return new Summary(List.copyOf(t.days), t.members, t.expired, t.taken, String.join("; ", notes));
    }

    /** What a run has done so far. */
    private static final class Tally {
        final List<String> days = new ArrayList<>();
        int members;
        int expired;
        long taken;
        int failed;
        long deadline;
        String unfinished;
    }

    /**
     * Goes through the day's members a stretch at a time, each stretch marked done once all its members are
     * through (the day's cursor: a run cut short by the budget or a crash leaves the marked stretches behind, so
     * a day too big for one run is finished over several instead of started over each time). True when every
     * stretch is done.
     */
    private boolean day(LocalDate day, Instant now, Tally t) {
        List<String> due = ledger.expiringOn(tenant, day);
        boolean whole = true;
        for (int from = 0; from < due.size() && t.unfinished == null; from += STRETCH) {
            List<String> stretch = due.subList(from, Math.min(due.size(), from + STRETCH));
            // Named by its first member: a member listed later (a merge) shifts the stretches, which only means
            // going through some members again (their expiry answers as a duplicate).
            DedupKey key = new DedupKey("points-expiry|" + day + "|" + stretch.get(0));
            String token = CustomerStore.newToken();
            CustomerStore.Claim claim = customers.claimLease(tenant, key, token, now, now.plus(LEASE));
            if (claim == CustomerStore.Claim.DONE) {
                continue;
            }
            if (claim != CustomerStore.Claim.WON) {
                whole = false;
                continue;
            }
            boolean all = true;
            for (String customerId : stretch) {
                if (ticks.getAsLong() - t.deadline > 0) {
                    t.unfinished = day.toString();
                    all = false;
                    break;
                }
                t.members++;
                try {
                    long p = expire(customerId, now);
                    if (p > 0) {
                        t.expired++;
                        t.taken += p;
                    }
                } catch (RuntimeException e) {
                    // One member's failure (a store refusing, details changed under every attempt) is theirs:
                    // the others still expire, and the stretch stays open for the next run to try them again.
                    all = false;
                    t.failed++;
                    LOG.log(Level.WARNING, JsonLog.line("points expiry failed", "tenant", tenant, "day",
                            day.toString(), "customer", customerId, "error", e.toString()));
                }
            }
            if (all) {
                customers.complete(tenant, key, token, now, KEEP_DONE);
            } else {
                customers.release(tenant, key, token);
                whole = false;
            }
        }
        return whole;
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
