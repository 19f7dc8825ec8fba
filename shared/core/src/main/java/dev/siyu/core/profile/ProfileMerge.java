package dev.siyu.core.profile;

import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes two profiles of one person one, leaving one live profile: a customer first seen through WeCom (id
 * derived from the external_userid) who turns out, by unionid, to be another customer already (a Mini Program
 * member). The survivor gains the absorbed profile's WeCom identity, relationships and tags; the absorbed
 * profile is marked merged into it ({@link CustomerProfile#mergedInto()}), so its journey runs exit at their
 * next step (settling an unsettled send as every exit does) and nothing starts for it again: the person is
 * never messaged twice, once per profile.
 *
 * <p>The caller points the external_userid alias at the survivor first, so every later callback finds the
 * survivor. Each write is an update of the latest copy that finds itself done when made again, so a merge cut
 * short by a failure or a crash is finished by the next attempt (the reconciler's repair, WeCom's retry).
 */
public final class ProfileMerge {
    private final CustomerStore customers;
    private final Ids ids;

    public ProfileMerge(CustomerStore customers, Ids ids) {
        this.customers = customers;
        this.ids = ids;
    }

    /**
     * Merges absorbed into survivor if a profile absorbed exists and is not merged yet; true when it merged (now or
     * in an attempt cut short before its mark). name and avatar (WeCom's contact detail, may be null) fill in a
     * survivor that has none.
     */
    public boolean absorb(String tenant, String absorbed, String survivor, String externalUserId, String unionId,
                          String name, String avatar, Instant now) {
        if (absorbed.equals(survivor)) {
            return false;
        }
        Optional<CustomerProfile> from = customers.profile(tenant, absorbed);
        if (from.isEmpty() || from.get().mergedInto().isPresent()) {
            return false;
        }
        CustomerProfile gone = from.get();
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put("from", absorbed);
        merged.put("external_userid", externalUserId);
        merged.put("by", "unionid");
        customers.update(tenant, survivor, m -> {
            CustomerProfile next = m.withIdentity(IdentityType.EXTERNAL_USERID, externalUserId, now);
            if (next.name() == null) {
                next = next.withContact(name != null ? name : gone.name(), avatar != null ? avatar : gone.avatar(), now);
            }
            for (StaffRelationship r : gone.relationships().values()) {
                StaffRelationship had = next.relationships().get(r.staffUserId());
                if (had == null || newer(r, had)) {
                    next = next.withRelationship(r, now);
                }
            }
            Set<String> tags = new TreeSet<>(gone.tags());
            tags.removeAll(next.tags());
            next = next.withTags(tags, Set.of(), now);
            // Made again after a cut-short attempt, the change finds itself done and writes nothing.
            return sameCustomer(next, m) ? null : next;
        }, List.of(new TimelineEvent(ids.next("ev", now), now, "customer_merged", null, merged)));
        Map<String, String> into = new LinkedHashMap<>();
        into.put("into", survivor);
        into.put("unionid", unionId == null ? "" : unionId);
        // Last: until this mark lands the merge is not done, and the next attempt makes it (the survivor's
        // update above finds itself done).
        customers.update(tenant, absorbed, p -> p.mergedInto().isPresent() ? null : p.mergedInto(survivor, now),
                List.of(new TimelineEvent(ids.next("ev", now), now, "merged_into", null, into)));
        return true;
    }

    /** The identities key listing the customers merged into this one (comma-separated): a merge made twice counts once. */
    public static final String MERGED_FROM = "merged_from";

    /** The customers already merged into p. */
    public static Set<String> mergedFrom(CustomerProfile p) {
        String v = p.identities().get(MERGED_FROM);
        return v == null || v.isEmpty() ? Set.of() : Set.of(v.split(","));
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

    private static boolean sameCustomer(CustomerProfile a, CustomerProfile b) {
        return a.identities().equals(b.identities()) && a.relationships().equals(b.relationships())
                && a.tags().equals(b.tags()) && Objects.equals(a.name(), b.name())
                && Objects.equals(a.avatar(), b.avatar());
    }

    /** The later of two relationship states with one staff member: the one whose last change is later. */
    private static boolean newer(StaffRelationship candidate, StaffRelationship had) {
        Instant c = candidate.endedAt() != null ? candidate.endedAt() : candidate.since();
        Instant h = had.endedAt() != null ? had.endedAt() : had.since();
        return c != null && (h == null || c.isAfter(h));
    }
}
