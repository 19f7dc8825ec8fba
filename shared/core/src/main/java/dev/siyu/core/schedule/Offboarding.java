package dev.siyu.core.schedule;

import dev.siyu.core.group.GroupHandover;
import dev.siyu.core.config.Community;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.TransferLedger;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.TransferOutcome;
import dev.siyu.core.port.WeComApi.TransferStatus;
import dev.siyu.core.port.WeComApi.Unassigned;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.StaffRelationship.EndedBy;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Offboarding succession (the {@code offboarding} schedule): customers of departed staff are passed to a
 * successor before they are lost, and the transfers are followed until WeCom settles them.
 *
 * <p><b>Assign.</b> {@code get_unassigned_list}, grouped by departed member. Each departed member's book
 * goes to one successor (one new advisor for the whole book keeps it together): an active member of the
 * departed member's own pools, else of {@code offboarding.takeover_pools}, with the fewest active customers
 * ({@link StaffLoadStore}, plus what this run already handed them). Departed members and members WeCom
 * reported at their customer limit (a {@code transfer_failed} with status 5 in the last 90 days on any
 * customer of the book) are never picked. Skipped: customers transferred
 * {@code max_transfers_per_90_days} times in 90 days ({@code customer_transferred} events) or whose last
 * transfer WeCom failed for that limit (status 4), recorded once as {@code transfer_skipped_limit}; and
 * customers who refused a transfer of this book before (status 3): they said no, an operator decides.
 * The rest go out in {@code resigned/transfer_customer} calls of at most {@code batch_size}; each accepted
 * customer gets {@code transfer_requested}, each refused one {@code transfer_rejected} with WeCom's errcode.
 *
 * <p><b>Pending state, and the poll.</b> A requested transfer is remembered on the customer's own profile,
 * the simplest place the existing ports can read back: a PENDING relationship with the successor whose
 * state is {@code transfer_from:<departed member>}. It is honest as data (the customer has not accepted the
 * successor yet, so the gate sends nothing through it), it needs no new item type, and it tells the poll
 * which handover/takeover pairs to ask {@code transfer_result} about. The poll finds them with a
 * {@link ProfileScan} (a whole-tenant read, as the daily rules do; fine for a job that runs a few times a
 * day) and settles each customer:
 * <ul>
 *   <li>1 taken over: the departed member's relationship ENDS (by STAFF, suppressed), the successor's
 *       becomes ACTIVE, {@code customer_transferred};</li>
 *   <li>2 waiting: nothing (WeCom takes over after 24 hours);</li>
 *   <li>3 refused by the customer: the pending relationship ends (by the customer), {@code transfer_failed};</li>
 *   <li>4 transfer limit, 5 successor at their limit: the pending relationship ends, {@code transfer_failed}
 *       with the reason. For 5 the customer is back on the unassigned list and the next assign picks
 *       another successor.</li>
 * </ul>
 * {@link #run} polls first, so a status 5 is known before the next successor is picked.
 */
public final class Offboarding {
    public static final String TRANSFER_STATE_PREFIX = "transfer_from:";
    /** resigned/transfer_customer's answer for a customer already in a transfer (to whom, it does not say). */
    static final int ALREADY_IN_TRANSFER = 40129;
    static final Duration LIMIT_WINDOW = Duration.ofDays(90);
    private static final System.Logger LOG = System.getLogger(Offboarding.class.getName());

    private final ScrmConfig config;
    private final WeComApi wecom;
    private final CustomerStore customers;
    private final ProfileScan profiles;
    private final StaffLoadStore staffLoads;
    private final TransferLedger transfers;
    /** Longer than the scheduler's timeout (300 s): no assign run still writing a pair's profiles. */
    private static final java.time.Duration SETTLE_GRACE = java.time.Duration.ofMinutes(15);
    private final TenantLog log;
    private final Ids ids;
    private final CustomerLookup lookup;
    private final GroupHandover groupHandover;

    public Offboarding(ScrmConfig config, WeComApi wecom, CustomerStore customers, ProfileScan profiles,
                       StaffLoadStore staffLoads, TransferLedger transfers, TenantLog log, Ids ids) {
        this(config, wecom, customers, profiles, staffLoads, transfers, log, ids, null);
    }

    /** @param groupHandover hands the departed members' customer groups on; null: groups are left alone */
    public Offboarding(ScrmConfig config, WeComApi wecom, CustomerStore customers, ProfileScan profiles,
                       StaffLoadStore staffLoads, TransferLedger transfers, TenantLog log, Ids ids,
                       GroupHandover groupHandover) {
        this.groupHandover = groupHandover;
        this.config = config;
        this.wecom = wecom;
        this.customers = customers;
        this.profiles = profiles;
        this.staffLoads = staffLoads;
        this.transfers = transfers;
        this.log = log;
        this.ids = ids;
        this.lookup = new CustomerLookup(customers);
    }

    /**
     * @param unassigned     customers WeCom listed as waiting for a successor
     * @param successors     departed member -> the successor picked for their book
     * @param requested      customers WeCom accepted into a transfer
     * @param batches        transfer calls made
     * @param skippedLimit   customers at the transfer limit
     * @param skippedRefused customers who refused a transfer of this book before
     * @param rejected       customers WeCom refused at the call (errcode), see their timelines
     * @param noSuccessor    customers whose departed member has no one to take over
     * @param failedCalls    transfer calls that failed outright; the customers stay unassigned for the next run
     */
    public record AssignSummary(int unassigned, Map<String, String> successors, int requested, int batches,
                                int skippedLimit, int skippedRefused, int alreadyPending, int rejected,
                                int noSuccessor, int failedCalls) {
        public AssignSummary {
            successors = Map.copyOf(successors);
        }
    }

    /**
     * @param pending        customers waiting on a transfer before the poll
     * @param pairs          handover/takeover pairs asked about
     * @param transferred    taken over (status 1)
     * @param waiting        still waiting (status 2, or not reported yet)
     * @param refused        refused by the customer (3)
     * @param limit          failed for the customer's transfer limit (4)
     * @param takeoverAtLimit failed because the successor is at their limit (5); retried with another
     * @param failedCalls    transfer_result calls that failed; those pairs are asked again next run
     */
    public record PollSummary(int pending, int pairs, int transferred, int waiting, int refused, int limit,
                              int takeoverAtLimit, int failedCalls) { }

    /** @param groups the departed members' customer groups handed to the same successors */
    public record Summary(PollSummary poll, AssignSummary assign, GroupHandover.Summary groups) {
        public Summary(PollSummary poll, AssignSummary assign) {
            this(poll, assign, GroupHandover.Summary.NONE);
        }
    }

    public Summary run(Instant now) {
        PollSummary poll = poll(now);
        AssignSummary assign = assign(now);
        if (groupHandover == null) {
            return new Summary(poll, assign, GroupHandover.Summary.NONE);
        }
        // The groups go where the customers went: the successor picked for the departed member's book. Members the
        // staff directory sync marked departed whose customers WeCom does not list (none, or a disabled member's)
        // still own groups: they get a successor of their own.
        // A disabled member is still in the directory, not resigned: their groups go through onjob_transfer.
        Map<String, StaffLoadStore.Departure> marked = staffLoads.departed(config.tenant());
        Map<String, String> resigned = new LinkedHashMap<>(assign.successors());
        Map<String, String> onJob = new LinkedHashMap<>();
        markedWithoutBook(marked, resigned.keySet(), now).forEach((departed, successor) ->
                (DISABLED.equals(marked.get(departed).reason()) ? onJob : resigned).put(departed, successor));
        GroupHandover.Summary groups = groupHandover.transfer(resigned, true, now);
        if (!onJob.isEmpty()) {
            GroupHandover.Summary more = groupHandover.transfer(onJob, false, now);
            groups = new GroupHandover.Summary(groups.groups() + more.groups(), groups.transferred() + more.transferred(),
                    groups.failed() + more.failed(), groups.failedCalls() + more.failedCalls());
        }
        return new Summary(poll, assign, groups);
    }

    /** The staff-directory sync's reason for a member still in the directory but disabled. */
    private static final String DISABLED = dev.siyu.core.staff.CorpDirectory.Standing.DISABLED.reason();

    /** A successor for each member marked departed who has no book on the unassigned list this run. */
    private Map<String, String> markedWithoutBook(Map<String, StaffLoadStore.Departure> marked, Set<String> withBook,
                                                  Instant now) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Long> loads = new HashMap<>();
        for (String departed : marked.keySet()) {
            if (withBook.contains(departed)) {
                continue;
            }
            successor(departed, new LinkedHashSet<>(marked.keySet()), loads, Map.of(), now)
                    .ifPresent(s -> out.put(departed, s));
        }
        return out;
    }

    // ---- assign -------------------------------------------------------------------------------

    public AssignSummary assign(Instant now) {
        Community.Offboarding rules = config.offboarding();
        List<Unassigned> all = wecom.unassigned();
        Map<String, List<Unassigned>> byDeparted = new LinkedHashMap<>();
        for (Unassigned u : all) {
            byDeparted.computeIfAbsent(u.handoverUserId(), k -> new ArrayList<>()).add(u);
        }
        AssignTally t = new AssignTally();
        Set<String> markedDeparted = all.isEmpty() ? Set.of() : staffLoads.departed(config.tenant()).keySet();
        Map<String, Long> handedThisRun = new HashMap<>();
        Map<String, Long> loads = new HashMap<>();
        for (Map.Entry<String, List<Unassigned>> book : byDeparted.entrySet()) {
            String departed = book.getKey();
            List<CustomerProfile> eligible = new ArrayList<>();
            Set<String> atLimit = new LinkedHashSet<>();
            for (Unassigned u : book.getValue()) {
                CustomerProfile p = profileOf(u, now);
                History h = history(p, departed, now);
                atLimit.addAll(h.takeoversAtLimit());
                if (pendingWith(p, departed).isPresent()) {
                    t.alreadyPending++;
                } else if (h.transfers() >= rules.maxTransfersPer90Days() || h.limitFailed()) {
                    t.skippedLimit++;
                    if (!h.skipRecorded()) {
                        customers.upsert(config.tenant(), p.customerId(), p, latest -> null,
                                List.of(event(now, "transfer_skipped_limit", departed, Map.of(
                                "handover", departed,
                                "transfers_in_90_days", Long.toString(h.transfers()),
                                "max", Integer.toString(rules.maxTransfersPer90Days())))));
                    }
                } else if (h.refused()) {
                    t.skippedRefused++;
                } else {
                    eligible.add(p);
                }
            }
            if (eligible.isEmpty()) {
                continue;
            }
            Set<String> excluded = new LinkedHashSet<>(byDeparted.keySet());
            excluded.addAll(atLimit);
            // Gone from WeCom's directory (the staff directory sync's marks): no one's successor.
            excluded.addAll(markedDeparted);
            Optional<String> successor = successor(departed, excluded, loads, handedThisRun, now);
            if (successor.isEmpty()) {
                t.noSuccessor += eligible.size();
                log.append(config.tenant(), "TRANSFERS", event(now, "transfer_no_successor", departed, Map.of(
                        "handover", departed, "customers", Integer.toString(eligible.size()),
                        "excluded", String.join(",", excluded))));
                continue;
            }
            t.successors.put(departed, successor.get());
            for (int from = 0; from < eligible.size(); from += rules.batchSize()) {
                List<CustomerProfile> batch = eligible.subList(from, Math.min(eligible.size(), from + rules.batchSize()));
                int accepted = transfer(departed, successor.get(), batch, t.batches + 1, now, t);
                handedThisRun.merge(successor.get(), (long) accepted, Long::sum);
            }
        }
        return new AssignSummary(all.size(), t.successors, t.requested, t.batches, t.skippedLimit, t.skippedRefused,
                t.alreadyPending, t.rejected, t.noSuccessor, t.failedCalls);
    }

    /** Makes one transfer call; returns how many customers WeCom accepted. */
    private int transfer(String departed, String successor, List<CustomerProfile> batch, int batchNo, Instant now,
                         AssignTally t) {
        List<String> externals = batch.stream().map(CustomerProfile::externalUserId).toList();
        List<TransferOutcome> outcomes;
        t.batches++;
        // Opened first: a crash after WeCom accepted leaves the pair open for the poll, never forgotten.
        transfers.open(config.tenant(), departed, successor, now);
        try {
            outcomes = wecom.transferCustomers(departed, successor, externals, true);
        } catch (WeComApiException e) {
            t.failedCalls++;
            LOG.log(Level.WARNING, JsonLog.line("transfer call failed", "tenant", config.tenant(), "handover", departed,
                    "takeover", successor, "customers", externals.size(), "errcode", e.errcode()));
            log.append(config.tenant(), "TRANSFERS", event(now, "transfer_call_failed", departed, Map.of(
                    "handover", departed, "takeover", successor, "customers", Integer.toString(externals.size()),
                    "errcode", Integer.toString(e.errcode()))));
            return 0;
        }
        Map<String, Integer> errcodes = new HashMap<>();
        for (TransferOutcome o : outcomes) {
            errcodes.put(o.externalUserId(), o.errcode());
        }
        Map<String, TransferStatus> inTransfer = alreadyInTransfer(departed, successor, errcodes);
        int accepted = 0;
        for (CustomerProfile p : batch) {
            Integer errcode = errcodes.get(p.externalUserId());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("handover", departed);
            details.put("takeover", successor);
            details.put("batch", Integer.toString(batchNo));
            TransferStatus confirmed = inTransfer.get(p.externalUserId());
            if (errcode != null && errcode == ALREADY_IN_TRANSFER && confirmed != null && confirmed.waiting()) {
                // WeCom's "already in transfer", and transfer_result says: to this successor, still waiting.
                // An earlier run's call went through and its record was lost; record it now.
                details.put("confirmed_by", "transfer_result");
                errcode = 0;
            }
            if (errcode != null && errcode == 0) {
                accepted++;
                t.requested++;
                StaffRelationship pending = StaffRelationship.started(successor, TRANSFER_STATE_PREFIX + departed, now,
                        true);
                customers.upsert(config.tenant(), p.customerId(), p, latest -> pendingWith(latest, departed)
                                .filter(successor::equals).isPresent() ? null : latest.withRelationship(pending, now),
                        List.of(event(now, "transfer_requested", successor, details)));
            } else {
                t.rejected++;
                details.put("errcode", errcode == null ? "not_reported" : Integer.toString(errcode));
                if (errcode != null && errcode == ALREADY_IN_TRANSFER) {
                    // In transfer, but not (or no longer waiting) to this successor: WeCom does not say to
                    // whom, so it stays a refusal here and the customer is listed again if it fails.
                    details.put("transfer_result", confirmed == null ? "not_listed" : Integer.toString(confirmed.status()));
                }
                customers.upsert(config.tenant(), p.customerId(), p, latest -> null,
                        List.of(event(now, "transfer_rejected", successor, details)));
            }
        }
        return accepted;
    }

    /**
     * For customers WeCom answered 40129 (already in transfer): what transfer_result says about them for
     * this pair. Empty when none was answered so, or when the call fails (they stay refusals, and the next
     * run asks again).
     */
    private Map<String, TransferStatus> alreadyInTransfer(String departed, String successor,
                                                          Map<String, Integer> errcodes) {
        if (!errcodes.containsValue(ALREADY_IN_TRANSFER)) {
            return Map.of();
        }
        Map<String, TransferStatus> out = new HashMap<>();
        try {
            for (TransferStatus s : wecom.transferResult(departed, successor, true)) {
                out.put(s.externalUserId(), s);
            }
        } catch (WeComApiException e) {
            LOG.log(Level.WARNING, JsonLog.line("transfer result failed", "tenant", config.tenant(), "handover",
                    departed, "takeover", successor, "errcode", e.errcode()));
        }
        return out;
    }

    /**
     * The member with the fewest active customers among the departed member's pools, else the takeover
     * pools; ties go to config order. Loads are read once per pool per run.
     */
    private Optional<String> successor(String departed, Set<String> excluded, Map<String, Long> loads,
                                       Map<String, Long> handedThisRun, Instant now) {
        List<String> ownPools = config.staffMember(departed).map(StaffMember::pools).orElse(List.of());
        for (List<String> pools : List.of(ownPools, config.offboarding().takeoverPools())) {
            List<String> candidates = new ArrayList<>();
            for (String pool : pools) {
                for (StaffMember s : config.pool(pool)) {
                    if (!excluded.contains(s.userId()) && !candidates.contains(s.userId())) {
                        candidates.add(s.userId());
                    }
                }
            }
            if (!candidates.isEmpty()) {
                return candidates.stream().min(Comparator.comparingLong(
                        (String s) -> load(s, loads, now) + handedThisRun.getOrDefault(s, 0L)));
            }
        }
        return Optional.empty();
    }

    /** Active customers over every pool the member is in (routing counts them per pool). */
    private long load(String staff, Map<String, Long> cache, Instant now) {
        return cache.computeIfAbsent(staff, s -> {
            LocalDate day = now.atZone(config.timezone()).toLocalDate();
            List<String> pools = config.staffMember(s).map(StaffMember::pools).orElse(List.of());
            long sum = 0;
            for (String pool : pools) {
                sum += staffLoads.load(config.tenant(), pool, day).active(s);
            }
            return sum;
        });
    }

    /** The stored customer, or a minimal one (a missed callback) so the transfer is still followed. */
    private CustomerProfile profileOf(Unassigned u, Instant now) {
        return lookup.byExternalUserId(config.tenant(), u.externalUserId()).orElseGet(() -> {
            Instant since = u.dimissionTime() > 0 ? Instant.ofEpochSecond(u.dimissionTime()) : now;
            return new CustomerProfile(config.tenant(), CustomerLookup.wecomCustomerId(u.externalUserId()), null, null,
                    null, null, null, null, Set.of(), Map.of(), Map.of(), now, now)
                    .withIdentity(IdentityType.EXTERNAL_USERID, u.externalUserId(), now)
                    .withRelationship(StaffRelationship.started(u.handoverUserId(), null, since, false), now);
        });
    }

    /**
     * What the customer's timeline says about transfers in the last 90 days.
     *
     * @param skipRecorded the latest transfer event is already a transfer_skipped_limit (not recorded again)
     */
    private record History(long transfers, boolean limitFailed, boolean refused, Set<String> takeoversAtLimit,
                           boolean skipRecorded) { }

    private History history(CustomerProfile p, String departed, Instant now) {
        Instant since = now.minus(LIMIT_WINDOW);
        long transfers = 0;
        boolean limitFailed = false;
        boolean refused = false;
        boolean skipRecorded = false;
        Set<String> atLimit = new LinkedHashSet<>();
        for (TimelineEvent e : customers.timeline(config.tenant(), p.customerId())) {
            if (!e.kind().startsWith("transfer_") && !e.kind().equals("customer_transferred")) {
                continue;
            }
            skipRecorded = e.kind().equals("transfer_skipped_limit");
            boolean recent = e.at().isAfter(since);
            if (e.kind().equals("customer_transferred") && recent) {
                transfers++;
            }
            if (e.kind().equals("transfer_failed")) {
                String status = e.details().get("status");
                if ("4".equals(status) && recent) {
                    limitFailed = true;
                } else if ("3".equals(status) && departed.equals(e.details().get("handover"))) {
                    refused = true;
                } else if ("5".equals(status) && recent && e.details().get("takeover") != null) {
                    atLimit.add(e.details().get("takeover"));
                }
            }
        }
        return new History(transfers, limitFailed, refused, atLimit, skipRecorded);
    }

    // ---- poll ---------------------------------------------------------------------------------

    public PollSummary poll(Instant now) {
        List<TransferLedger.Pair> open = transfers.openPairs(config.tenant());
        if (open.isEmpty()) {
            return new PollSummary(0, 0, 0, 0, 0, 0, 0, 0);
        }
        Map<Pair, TransferLedger.Pair> ledger = new HashMap<>();
        open.forEach(p -> ledger.put(new Pair(p.handover(), p.takeover()), p));
        Map<Pair, List<CustomerProfile>> pending = new LinkedHashMap<>();
        int[] waitingBefore = new int[1];
        profiles.forEach(config.tenant(), p -> {
            for (StaffRelationship r : p.relationships().values()) {
                Optional<String> departed = departedOf(r);
                if (departed.isPresent()) {
                    pending.computeIfAbsent(new Pair(departed.get(), r.staffUserId()), k -> new ArrayList<>()).add(p);
                    waitingBefore[0]++;
                }
            }
        });
        PollTally t = new PollTally();
        for (Map.Entry<Pair, List<CustomerProfile>> e : pending.entrySet()) {
            Pair pair = e.getKey();
            Map<String, TransferStatus> statuses = new HashMap<>();
            try {
                for (TransferStatus s : wecom.transferResult(pair.handover(), pair.takeover(), true)) {
                    statuses.put(s.externalUserId(), s);
                }
            } catch (WeComApiException ex) {
                t.failedCalls++;
                t.waiting += e.getValue().size();
                LOG.log(Level.WARNING, JsonLog.line("transfer result failed", "tenant", config.tenant(), "handover",
                        pair.handover(), "takeover", pair.takeover(), "errcode", ex.errcode()));
                continue;
            }
            int waiting = t.waiting;
            for (CustomerProfile p : e.getValue()) {
                settle(p, pair, statuses.get(p.externalUserId()), now, t);
            }
            TransferLedger.Pair entry = ledger.get(pair);
            if (t.waiting == waiting && entry != null) {
                transfers.close(config.tenant(), pair.handover(), pair.takeover(), entry.openedAt());
            }
        }
        // A pair none of whose customers is pending any more is closed too, unless it was opened so
        // recently that a run handing customers over may not have recorded them yet.
        // Before closing one, transfer_result is asked: a run that died after WeCom accepted its call but
        // before it recorded the customers left nothing pending on them, and WeCom's answer recovers them.
        for (TransferLedger.Pair p : open) {
            boolean seen = pending.containsKey(new Pair(p.handover(), p.takeover()));
            if (!seen && p.openedAt().isBefore(now.minus(SETTLE_GRACE)) && recovered(p, now, t)) {
                transfers.close(config.tenant(), p.handover(), p.takeover(), p.openedAt());
            }
        }
        return new PollSummary(waitingBefore[0], pending.size(), t.transferred, t.waiting, t.refused, t.limit,
                t.atLimit, t.failedCalls);
    }

    /**
     * A ledger pair with no customer pending on it: whatever transfer_result lists for it is settled now
     * (taken over, refused, failed), and a customer still waiting gets the pending relationship the dead
     * run never wrote. True when the pair can close (nothing is waiting on it).
     */
    private boolean recovered(TransferLedger.Pair open, Instant now, PollTally t) {
        Pair pair = new Pair(open.handover(), open.takeover());
        List<TransferStatus> statuses;
        try {
            statuses = wecom.transferResult(pair.handover(), pair.takeover(), true);
        } catch (WeComApiException ex) {
            t.failedCalls++;
            return false;
        }
        boolean waiting = false;
        for (TransferStatus s : statuses) {
            CustomerProfile p = lookup.byExternalUserId(config.tenant(), s.externalUserId()).orElse(null);
            if (p == null || p.relationships().containsKey(pair.takeover())) {
                // Unknown here, or recorded (and maybe settled) already.
                continue;
            }
            StaffRelationship pending = StaffRelationship.started(pair.takeover(),
                    TRANSFER_STATE_PREFIX + pair.handover(), open.openedAt(), true);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("handover", pair.handover());
            details.put("takeover", pair.takeover());
            details.put("recovered_by", "transfer_result");
            Optional<CustomerProfile> written = customers.update(config.tenant(), p.customerId(), latest -> latest
                            .relationships().containsKey(pair.takeover()) ? null : latest.withRelationship(pending, now),
                    List.of(event(now, "transfer_requested", pair.takeover(), details)));
            if (written.isEmpty()) {
                continue;
            }
            p = written.get();
            if (s.waiting()) {
                waiting = true;
                t.waiting++;
            } else {
                settle(p, pair, s, now, t);
            }
        }
        return !waiting;
    }

    private void settle(CustomerProfile p, Pair pair, TransferStatus status, Instant now, PollTally t) {
        if (status == null || status.waiting()) {
            t.waiting++;
            return;
        }
        StaffRelationship pendingRel = p.relationships().get(pair.takeover());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("handover", pair.handover());
        details.put("takeover", pair.takeover());
        details.put("status", Integer.toString(status.status()));
        if (status.done()) {
            Instant at = status.takeoverTime() > 0 ? Instant.ofEpochSecond(status.takeoverTime()) : now;
            StaffRelationship old = p.relationships().get(pair.handover());
            StaffRelationship ended = (old == null ? StaffRelationship.started(pair.handover(), null, at, false) : old)
                    .ended(at, EndedBy.STAFF);
            StaffRelationship active = new StaffRelationship(pair.takeover(), StaffRelationship.Status.ACTIVE,
                    pendingRel.state(), at, null, null);
            details.put("takeover_time", at.toString());
            // On the latest copy, and only while the transfer is still pending there.
            customers.update(config.tenant(), p.customerId(), latest -> stillPending(latest, pair)
                    ? latest.withRelationship(ended(latest, pair.handover(), at), now).withRelationship(active, now)
                    : null, List.of(event(now, "customer_transferred", pair.takeover(), details)));
            t.transferred++;
            return;
        }
        String reason;
        EndedBy by = null;
        switch (status.status()) {
            case 3:
                reason = "customer_refused";
                by = EndedBy.CUSTOMER;
                t.refused++;
                break;
            case 4:
                reason = "transfer_limit";
                t.limit++;
                break;
            case 5:
                reason = "takeover_at_limit";
                t.atLimit++;
                break;
            default:
                // A status WeCom may add later: keep waiting rather than guess.
                LOG.log(Level.WARNING, JsonLog.line("unknown transfer status", "tenant", config.tenant(),
                        "customer", p.customerId(), "status", status.status()));
                t.waiting++;
                return;
        }
        details.put("reason", reason);
        // Not a friendship (3: the customer said no; 4/5: it never started), so nothing may go through it.
        StaffRelationship notTaken = new StaffRelationship(pair.takeover(), StaffRelationship.Status.ENDED,
                pendingRel.state(), pendingRel.since(), now, by);
        customers.update(config.tenant(), p.customerId(), latest -> stillPending(latest, pair)
                ? latest.withRelationship(notTaken, now) : null,
                List.of(event(now, "transfer_failed", pair.takeover(), details)));
    }

    private static boolean stillPending(CustomerProfile p, Pair pair) {
        StaffRelationship r = p.relationships().get(pair.takeover());
        return r != null && departedOf(r).filter(pair.handover()::equals).isPresent();
    }

    private static StaffRelationship ended(CustomerProfile p, String handover, Instant at) {
        StaffRelationship old = p.relationships().get(handover);
        if (old != null && old.suppressed()) {
            return old;
        }
        return (old == null ? StaffRelationship.started(handover, null, at, false) : old).ended(at, EndedBy.STAFF);
    }

    private static Optional<String> pendingWith(CustomerProfile p, String departed) {
        return p.relationships().values().stream().filter(r -> departedOf(r).filter(departed::equals).isPresent())
                .map(StaffRelationship::staffUserId).findFirst();
    }

    /** The departed member a PENDING relationship is a transfer from; empty for any other relationship. */
    static Optional<String> departedOf(StaffRelationship r) {
        if (r.status() != StaffRelationship.Status.PENDING || r.state() == null
                || !r.state().startsWith(TRANSFER_STATE_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(r.state().substring(TRANSFER_STATE_PREFIX.length()));
    }

    private TimelineEvent event(Instant now, String kind, String staff, Map<String, String> details) {
        return new TimelineEvent(ids.next("ev", now), now, kind, staff, details);
    }

    private record Pair(String handover, String takeover) { }

    private static final class AssignTally {
        final Map<String, String> successors = new LinkedHashMap<>();
        int requested;
        int batches;
        int skippedLimit;
        int skippedRefused;
        int alreadyPending;
        int rejected;
        int noSuccessor;
        int failedCalls;
    }

    private static final class PollTally {
        int transferred;
        int waiting;
        int refused;
        int limit;
        int atLimit;
        int failedCalls;
    }
}
