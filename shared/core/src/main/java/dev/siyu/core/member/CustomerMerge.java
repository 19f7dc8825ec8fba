package dev.siyu.core.member;

import dev.siyu.core.log.JsonLog;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.miniapp.SubscriptionStore;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.Points;
import dev.siyu.core.profile.ProfileMerge;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes two customers found to be one person (a new link joined them) one: the survivor takes the absorbed
 * customer's points (a MERGE_OUT and a MERGE_IN entry), timeline (copied, same event ids), identities, tags,
 * relationships and activity (combined by {@link ProfileMerge#combine}, which the WeCom unionid merge's
 * {@link ProfileMerge} gained for it); an audit entry goes to the tenant's MERGES log and the survivor's timeline;
 * the absorbed profile is marked merged into the survivor, and its alias items are moved to the survivor. Every
 * step finds itself done when made again, so a merge cut short before the mark is finished by the next request
 * that finds the two customers.
 */
public final class CustomerMerge {
    public static final String AUDIT_SUBJECT = "MERGES";
    private static final System.Logger LOG = System.getLogger(CustomerMerge.class.getName());

    private final CustomerStore customers;
    private final PointsLedger ledger;
    private final PointsRules rules;
    private final TenantLog audit;
    private final SubscriptionStore subscriptions;
    private final MemberDetailsMerge details;

    /**
     * @param details moves the Mini Program details (consents, phone, notifications, profile fields); null: none
     */
    public CustomerMerge(CustomerStore customers, PointsLedger ledger, PointsRules rules, TenantLog audit,
                         SubscriptionStore subscriptions, MemberDetailsMerge details) {
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.rules = rules;
        this.audit = audit;
        this.details = details;
    }

    /** The survivor of two: the customer known first (ties by id), so every merge of the same pair picks the same. */
    public static String survivorOf(CustomerProfile a, CustomerProfile b) {
        Instant ta = a.createdAt() == null ? Instant.EPOCH : a.createdAt();
        Instant tb = b.createdAt() == null ? Instant.EPOCH : b.createdAt();
        int c = ta.compareTo(tb);
        return c < 0 || (c == 0 && a.customerId().compareTo(b.customerId()) < 0) ? a.customerId() : b.customerId();
    }

    /**
     * Merges absorbed into survivor; by names the link that joined them (e.g. "phone"). False when nothing was
     * left to do. The absorbed customer is marked first: from then on resolution sends everything to the survivor
     * and postings on the absorbed one are refused, so what is moved after the mark (points, order ids, timeline,
     * activity) is all it will ever have. A merge cut short after the mark is finished by the next resolution
     * that follows the mark (the survivor does not list the absorbed customer as merged from yet).
     */
    public boolean merge(String tenant, String absorbed, String survivor, String by, Instant now) {
        Optional<CustomerProfile> from = customers.profile(tenant, absorbed);
        if (absorbed.equals(survivor) || from.isEmpty()) {
            return false;
        }
        Optional<String> into = from.get().mergedInto();
        if (into.isPresent() && (!into.get().equals(survivor) || customers.profile(tenant, survivor)
                .map(s -> ProfileMerge.mergedFrom(s).contains(absorbed)).orElse(true))) {
            return false;
        }
        customers.update(tenant, absorbed, p -> p.mergedInto().isPresent() ? null : p.mergedInto(survivor, now),
                List.of(new TimelineEvent("merged-into-" + survivor, now, "merged_into", null,
                        Map.of("into", survivor, "by", by))));
        CustomerProfile gone = customers.profile(tenant, absorbed).orElse(from.get());
        markOrders(tenant, absorbed, survivor);
        movePoints(tenant, absorbed, survivor, now);
        // The person's one-time subscriptions are theirs, not the absorbed id's: each template's remaining
        // messages go over in one atomic write, so finishing a cut-short merge moves none twice.
        subscriptions.move(tenant, absorbed, survivor, now);
        // Before the survivor lists the absorbed customer as merged: a merge cut short does this again on resume.
        if (details != null) {
            details.merge(tenant, absorbed, survivor, now);
        }
        List<TimelineEvent> history = customers.timeline(tenant, absorbed);
        for (int i = 0; i < history.size(); i += 25) {
            customers.append(tenant, survivor, history.subList(i, Math.min(history.size(), i + 25)));
        }
        Map<String, String> audited = new LinkedHashMap<>();
        audited.put("from", absorbed);
        audited.put("into", survivor);
        audited.put("by", by);
        TimelineEvent mergedEvent = new TimelineEvent("merge-" + absorbed, now, "customer_merged", null, audited);
        CustomerProfile absorbedNow = customers.profile(tenant, absorbed).orElse(gone);
        // The survivor listing the absorbed customer as merged from is what says the merge is complete.
        customers.update(tenant, survivor, s -> {
            if (ProfileMerge.mergedFrom(s).contains(absorbed)) {
                return null;
            }
            return ProfileMerge.combine(s, absorbedNow, now);
        }, List.of(mergedEvent));
        audit.append(tenant, AUDIT_SUBJECT, mergedEvent);
        // Last: a stale alias still leads to the survivor (resolution follows merged_into), so moving them is
        // the tidy-up, not the commit.
        for (Map.Entry<String, String> id : gone.identities().entrySet()) {
            identityType(id.getKey()).ifPresent(t -> customers.pointIdentity(tenant, t, id.getValue(), survivor));
        }
        LOG.log(Level.INFO, JsonLog.line("customers merged", "tenant", tenant, "from", absorbed, "into", survivor,
                "by", by));
        return true;
    }

    /**
     * The absorbed customer's orders and refunds, as zero-point entries under the same request ids on the
     * survivor: an order sent again after the merge finds its request id there and posts nothing. Merges are
     * rare, so the cost (one posting per order) stays off the order path.
     */
    private void markOrders(String tenant, String absorbed, String survivor) {
        for (LedgerEntry e : ledger.entries(tenant, absorbed)) {
            if (e.kind() != LedgerEntry.Kind.EARN && e.kind() != LedgerEntry.Kind.REVERSE) {
                continue;
            }
            ledger.post(tenant, survivor, e.requestId(), latest -> Optional.of(new PointsLedger.Applied(latest,
                    new LedgerEntry(e.requestId(), LedgerEntry.Kind.MERGE_IN, 0, 0, e.at(), null, absorbed,
                            latest.activity().points().balance()), List.of())));
        }
    }

    /**
     * The absorbed customer's points leave it in one entry and reach the survivor lot by lot, each once: a
     * MERGE_IN entry per expiry date the points had (listed in the expiry index under the survivor, so they
     * expire on the survivor when they would have on the absorbed customer), the points that never expire in
     * the last. After the mark nothing posts on the absorbed customer, so one move takes everything it has, and
     * the lots, read from its ledger (the MERGE_OUT left out), are the same when a cut-short merge moves them again.
     */
    private void movePoints(String tenant, String absorbed, String survivor, Instant now) {
        PointsLedger.Result out = ledger.post(tenant, absorbed, "merge-out-" + absorbed, latest -> {
            Points p = latest.activity().points();
            if (p.balance() == 0 && p.earned() == 0) {
                return Optional.empty();
            }
            return rules.apply(latest, "merge-out-" + absorbed, LedgerEntry.Kind.MERGE_OUT,
                            -p.balance(), -p.earned(), now, null, survivor, "pts-merge-out-" + absorbed)
                    .map(c -> new PointsLedger.Applied(c.profile(), c.entry(), List.of()));
        });
        if (out.entry() == null) {
            return;
        }
        long earned = -out.entry().earned();
        List<PointsRules.Lot> lots = PointsRules.lots(ledger.entries(tenant, absorbed), -out.entry().points());
        if (lots.isEmpty()) {
            lots = List.of(new PointsRules.Lot(0, null));
        }
        for (int i = 0; i < lots.size(); i++) {
            PointsRules.Lot lot = lots.get(i);
            // The first lot keeps the request id of a single move, and carries the points earned (the tier's).
            String request = i == 0 ? "merge-in-" + absorbed : "merge-in-" + absorbed + "-" + i;
            long lotEarned = i == 0 ? earned : 0;
            ledger.post(tenant, survivor, request, latest -> rules.apply(latest, request,
                            LedgerEntry.Kind.MERGE_IN, lot.points(), lotEarned, now, lot.expiresAt(), absorbed,
                            "pts-" + request)
                    .map(c -> new PointsLedger.Applied(c.profile(), c.entry(), c.events())));
        }
    }

    static Optional<IdentityType> identityType(String key) {
        for (IdentityType t : IdentityType.values()) {
            if (t.key().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
