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
