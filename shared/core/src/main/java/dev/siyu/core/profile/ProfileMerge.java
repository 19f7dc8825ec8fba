package dev.siyu.core.profile;

import dev.siyu.core.callback.Repairs;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.journey.JourneyStarter;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.TenantLog;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one way two profiles of one person become one, whatever found them (a WeCom contact's unionid held by a Mini
 * Program member, a phone or POS member id linking two members): the absorbed profile is marked merged into the
 * survivor first, so from then on resolution sends everything to the survivor and its journey runs exit at their
 * next step; then what moves with the customer beyond the profile (the caller's {@link Carried}: points,
 * subscriptions, Mini Program details), the timeline (copied, same event ids), the profile by the rules of
 * {@link #combine}, an audit entry {@code customer_merged} on the survivor's timeline and the tenant's
 * {@value #AUDIT_SUBJECT} log, the contact_added triggers of the WeCom relationships the survivor gained, and last
 * the aliases pointed at the survivor.
 *
 * <p>The relationships' triggers are why the WeCom path needs this: a contact recorded WeCom-first and merged before
 * its activation journey started (its trigger then finds a merged profile and starts nothing) would leave the person
 * without one. The survivor's trigger carries the relationship's own start as its time, so the run it starts is the
 * run the contact's callback names ({@code contact_added-<CreateTime>}): a callback redone on the survivor, a
 * redelivered trigger or a merge made again starts nothing more; and it names the absorbed customer, so when the
 * add's runs started there before the merge the starter starts none again ({@link JourneyStarter}). Each is noted
 * before the mark and handed off after the survivor's write, so a crash in between leaves it to the reconciler,
 * which sends it once the survivor holds the relationship.
 *
 * <p>Each step finds itself done when made again: a merge cut short before the mark is made whole by the next
 * attempt; one cut short after it by the next attempt that finds the survivor not listing the absorbed customer
 * in {@value #MERGED_FROM} (the WeCom callback's retry, the reconciler's repair, an order naming both).
 */
public final class ProfileMerge {
    /** The tenant's log of merges (the audit trail). */
    public static final String AUDIT_SUBJECT = "MERGES";
    /** The identities key listing the customers merged into this one (comma-separated): a merge made twice counts once. */
    public static final String MERGED_FROM = "merged_from";
    private static final String CONTACT_ADDED = "contact_added";
    private static final System.Logger LOG = System.getLogger(ProfileMerge.class.getName());

    /**
     * What moves with a customer beyond the profile and its timeline, made after the mark and before the survivor
     * lists the absorbed customer as merged; made again by a merge that resumes, so it must find itself done.
     */
    @FunctionalInterface
    public interface Carried {
        Carried NOTHING = (tenant, absorbed, survivor, now) -> { };

        void move(String tenant, String absorbed, String survivor, Instant now);
    }

    private final CustomerStore customers;
    private final TenantLog log;
    private final JourneyQueue journeys;

    public ProfileMerge(CustomerStore customers, TenantLog log, JourneyQueue journeys) {
        this.customers = customers;
        this.log = log;
        this.journeys = journeys;
    }

    /**
     * A WeCom contact recorded WeCom-first (absorbed) found by its unionid to be the customer survivor: merged as
     * every merge is; the contact detail's name and avatar (null when the fetch failed) fill in a survivor that has
     * none. The caller points the external_userid alias at the survivor first, so every later callback finds it.
     * True when this call made (or finished) the merge.
     */
    public boolean absorb(String tenant, String absorbed, String survivor, String externalUserId, String unionId,
                          String name, String avatar, Instant now) {
        Map<String, String> by = new LinkedHashMap<>();
        by.put("by", "unionid");
        by.put("external_userid", externalUserId);
        boolean merged = merge(tenant, absorbed, survivor, by, Carried.NOTHING, now);
        // After the merge: a fill of what the survivor lacks, found done when made again (no event, no write).
        customers.update(tenant, survivor, s -> {
            CustomerProfile next = s;
            // The external_userid WeCom names for this person now (the caller pointed its alias at the survivor).
            if (externalUserId != null && !externalUserId.equals(s.identities().get(IdentityType.EXTERNAL_USERID.key()))) {
                next = next.withIdentity(IdentityType.EXTERNAL_USERID, externalUserId, now);
            }
            if (unionId != null && !unionId.isEmpty() && !s.identities().containsKey(IdentityType.UNIONID.key())) {
                next = next.withIdentity(IdentityType.UNIONID, unionId, now);
            }
            if (next.name() == null && name != null) {
                next = next.withContact(name, avatar, now);
            }
            return next == s ? null : next;
        }, List.of());
        return merged;
    }

    /**
     * Merges absorbed into survivor; audit names the link that joined them ({@code by}, e.g. "phone", and any
     * detail). False when nothing was left to do: no such profile, the same one, or merged already (into another
     * customer, or into this one completely).
     */
    public boolean merge(String tenant, String absorbed, String survivor, Map<String, String> audit, Carried carried,
                         Instant now) {
        Optional<CustomerProfile> from = customers.profile(tenant, absorbed);
        if (absorbed.equals(survivor) || from.isEmpty()) {
            return false;
        }
        Optional<String> into = from.get().mergedInto();
        if (into.isPresent() && (!into.get().equals(survivor) || customers.profile(tenant, survivor)
                .map(s -> mergedFrom(s).contains(absorbed)).orElse(true))) {
            return false;
        }
        // Noted before the mark: after it the absorbed profile's own triggers start nothing.
        List<TenantLog.Repair> notes = new ArrayList<>();
        for (StaffRelationship r : from.get().relationships().values()) {
            if (r.status() == StaffRelationship.Status.ACTIVE && r.since() != null) {
                TenantLog.Repair note = triggerNote(absorbed, survivor, r, now);
                log.needsRepair(tenant, note);
                notes.add(note);
            }
        }
        String by = audit.getOrDefault("by", "");
        // Noted before the mark too: after it, resolution goes to the survivor, so nothing else would come back
        // to a merge that died before the survivor's write.
        TenantLog.Repair unfinished = new TenantLog.Repair(Repairs.MERGE, absorbed + "|" + survivor,
                Map.of("absorbed", absorbed, "survivor", survivor, "by", by,
                        "carried", carried == Carried.NOTHING ? "nothing" : "member"), now, 0);
        log.needsRepair(tenant, unfinished);
        customers.update(tenant, absorbed, p -> p.mergedInto().isPresent() ? null : p.mergedInto(survivor, now),
                List.of(new TimelineEvent("merged-into-" + survivor, now, "merged_into", null,
                        Map.of("into", survivor, "by", by))));
        CustomerProfile gone = customers.profile(tenant, absorbed).orElse(from.get());
        carried.move(tenant, absorbed, survivor, now);
        List<TimelineEvent> history = customers.timeline(tenant, absorbed);
        for (int i = 0; i < history.size(); i += 25) {
            customers.append(tenant, survivor, history.subList(i, Math.min(history.size(), i + 25)));
        }
        Map<String, String> audited = new LinkedHashMap<>();
        audited.put("from", absorbed);
        audited.put("into", survivor);
        audited.putAll(audit);
        TimelineEvent mergedEvent = new TimelineEvent("merge-" + absorbed, now, "customer_merged", null, audited);
        // The survivor listing the absorbed customer as merged from is what says the merge is complete.
        Optional<CustomerProfile> after = customers.update(tenant, survivor,
                s -> mergedFrom(s).contains(absorbed) ? null : combine(s, gone, now), List.of(mergedEvent));
        log.append(tenant, AUDIT_SUBJECT, mergedEvent);
        log.repaired(tenant, unfinished);
        CustomerProfile merged = after.or(() -> customers.profile(tenant, survivor)).orElse(null);
        for (TenantLog.Repair note : notes) {
            handOff(tenant, note, merged);
        }
        // Last: a stale alias still leads to the survivor (resolution follows merged_into), so moving them is the
        // tidy-up, not the commit.
        for (Map.Entry<String, String> id : gone.identities().entrySet()) {
            identityType(id.getKey()).ifPresent(t -> customers.pointIdentity(tenant, t, id.getValue(), survivor));
        }
        LOG.log(Level.INFO, JsonLog.line("customers merged", "tenant", tenant, "from", absorbed, "into", survivor,
                "by", by));
        return true;
    }

    /**
     * The survivor's contact_added trigger for a relationship the absorbed customer brought, sent when the survivor
     * holds that relationship as it was (a later add or delete on the survivor is its own callback's to trigger).
     */
    private void handOff(String tenant, TenantLog.Repair note, CustomerProfile survivor) {
        String staff = note.details().get("staff");
        Instant since = Instant.parse(note.details().get(Repairs.TRIGGER_AT));
        StaffRelationship held = survivor == null ? null : survivor.relationships().get(staff);
        if (held != null && held.status() == StaffRelationship.Status.ACTIVE && since.equals(held.since())) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("staff", staff);
            details.put("state", note.details().getOrDefault("state", ""));
            details.put(JourneyStarter.MERGED_FROM, note.details().getOrDefault(JourneyStarter.MERGED_FROM, ""));
            journeys.enqueue(new JourneyQueue.JourneyTrigger(tenant, survivor.customerId(), CONTACT_ADDED, since,
                    details));
        }
        log.repaired(tenant, note);
    }

    private static TenantLog.Repair triggerNote(String absorbed, String survivor, StaffRelationship r, Instant now) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("staff", r.staffUserId());
        d.put("state", r.state() == null ? "" : r.state());
        d.put(JourneyStarter.MERGED_FROM, absorbed);
        d.put(Repairs.TRIGGER_CUSTOMER, survivor);
        d.put(Repairs.TRIGGER_KIND, CONTACT_ADDED);
        d.put(Repairs.TRIGGER_AT, r.since().toString());
        d.put(Repairs.TRIGGER_EVENT_TIME, r.since().toString());
        return new TenantLog.Repair(Repairs.TRIGGER, CONTACT_ADDED + "|merge|" + absorbed + "|" + r.staffUserId(), d,
                now, 0);
    }

    /** The customers already merged into p. */
    public static Set<String> mergedFrom(CustomerProfile p) {
        String v = p.identities().get(MERGED_FROM);
        return v == null || v.isEmpty() ? Set.of() : Set.of(v.split(","));
    }

    static Optional<IdentityType> identityType(String key) {
        for (IdentityType t : IdentityType.values()) {
            if (t.key().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The survivor with what the absorbed customer brings, by rule: identities the survivor lacks (its own win a
     * clash, which the caller refuses before merging), the union of tags, the later state with each staff member,
     * name, avatar and channel where the survivor has none, and the activity combined: spend and counts added,
     * first times the earlier, latest times the later, each consent time the later (so a withdrawal made on
     * either side still stands unless a later grant follows). Points are the ledger's: the survivor's stay.
     */
    public static CustomerProfile combine(CustomerProfile survivor, CustomerProfile gone, Instant now) {
        Map<String, String> ids = new LinkedHashMap<>(survivor.identities());
        gone.identities().forEach((k, v) -> {
            if (!k.equals(CustomerProfile.MERGED_INTO) && !k.equals(MERGED_FROM)) {
                ids.putIfAbsent(k, v);
            }
        });
        Set<String> from = new TreeSet<>(mergedFrom(survivor));
        from.add(gone.customerId());
        ids.put(MERGED_FROM, String.join(",", from));
        Map<String, StaffRelationship> rel = new LinkedHashMap<>(survivor.relationships());
        for (StaffRelationship r : gone.relationships().values()) {
            StaffRelationship had = rel.get(r.staffUserId());
            if (had == null || newer(r, had)) {
                rel.put(r.staffUserId(), r);
            }
        }
        Set<String> tags = new TreeSet<>(survivor.tags());
        tags.addAll(gone.tags());
        Activity s = survivor.activity();
        Activity g = gone.activity();
        Map<String, Instant> cats = new LinkedHashMap<>(s.purchaseCategories());
        g.purchaseCategories().forEach((c, at) -> cats.merge(c, at, ProfileMerge::later));
        Map<String, String> groups = new LinkedHashMap<>(g.groups());
        groups.putAll(s.groups());
        Set<String> left = new TreeSet<>(s.leftGroups());
        left.addAll(g.leftGroups());
        Set<String> flags = new TreeSet<>(s.flags());
        flags.addAll(g.flags());
        Activity a = new Activity(s.totalSpend() + g.totalSpend(), s.orderCount() + g.orderCount(),
                earlier(s.firstPurchaseAt(), g.firstPurchaseAt()), later(s.lastPurchaseAt(), g.lastPurchaseAt()),
                earlier(s.firstReplyAt(), g.firstReplyAt()), later(s.lastInteractionAt(), g.lastInteractionAt()), cats,
                later(s.consentGrantedAt(), g.consentGrantedAt()), later(s.consentWithdrawnAt(), g.consentWithdrawnAt()),
                s.stage() != null ? s.stage() : g.stage(), s.lowPriority() && g.lowPriority(),
                s.churnScore() != null ? s.churnScore() : g.churnScore(), groups, left,
                s.perksClaimed() + g.perksClaimed(), flags, s.points());
        return new CustomerProfile(survivor.tenant(), survivor.customerId(),
                survivor.name() != null ? survivor.name() : gone.name(),
                survivor.avatar() != null ? survivor.avatar() : gone.avatar(),
                survivor.channel() != null ? survivor.channel() : gone.channel(),
                survivor.channel() != null ? survivor.channelName() : gone.channelName(),
                survivor.storeId() != null ? survivor.storeId() : gone.storeId(),
                survivor.city() != null ? survivor.city() : gone.city(), tags, rel, ids,
                earlier(survivor.createdAt(), gone.createdAt()), now, a, survivor.version());
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** The later of two relationship states with one staff member: the one whose last change is later. */
    private static boolean newer(StaffRelationship candidate, StaffRelationship had) {
        Instant c = candidate.endedAt() != null ? candidate.endedAt() : candidate.since();
        Instant h = had.endedAt() != null ? had.endedAt() : had.since();
        return c != null && (h == null || c.isAfter(h));
    }
}
