package dev.siyu.core.member;

import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.miniapp.SubscriptionStore;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.Points;
import dev.siyu.core.profile.ProfileMerge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merge of two members a new link joined (a phone, a POS member id): the one merge of {@link ProfileMerge} (mark,
 * timeline, profile by rule, audit, the survivor's WeCom triggers, aliases), carrying what a member has beyond the
 * profile: order ids (zero-point entries, so an order sent again posts nothing), points (a MERGE_OUT and a
 * MERGE_IN entry), one-time subscriptions and the Mini Program details.
 */
public final class CustomerMerge {
    public static final String AUDIT_SUBJECT = ProfileMerge.AUDIT_SUBJECT;

    private final ProfileMerge profiles;
    private final PointsLedger ledger;
    private final PointsRules rules;
    private final SubscriptionStore subscriptions;
    private final MemberDetailsMerge details;

    /**
     * @param details moves the Mini Program details (consents, phone, notifications, profile fields); null: none
     */
    public CustomerMerge(CustomerStore customers, PointsLedger ledger, PointsRules rules, TenantLog audit,
                         JourneyQueue journeys, SubscriptionStore subscriptions, MemberDetailsMerge details) {
        this.profiles = new ProfileMerge(customers, audit, journeys);
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.rules = rules;
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
        return profiles.merge(tenant, absorbed, survivor, Map.of("by", by), this::carry, now);
    }

    /** What a member brings beyond the profile: orders, points, subscriptions and Mini Program details. */
    private void carry(String tenant, String absorbed, String survivor, Instant now) {
        markOrders(tenant, absorbed, survivor);
        movePoints(tenant, absorbed, survivor, now);
        // The person's one-time subscriptions are theirs, not the absorbed id's: each template's remaining
        // messages go over in one atomic write, so finishing a cut-short merge moves none twice.
        subscriptions.move(tenant, absorbed, survivor, now);
        if (details != null) {
            details.merge(tenant, absorbed, survivor, now);
        }
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
}
