package dev.siyu.core.miniapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A merge's part for the Mini Program: the absorbed customer's details onto the survivor, by one rule.
 * <ul>
 *   <li>personal fields (gender, date of birth, address, language, time zone): the survivor's where it has one,
 *       else the absorbed customer's, field by field;</li>
 *   <li>the phone: the survivor's, else the absorbed customer's, sealed again under the survivor's id (the seal
 *       binds the number to its customer);</li>
 *   <li>consents: per purpose the later decision, whoever made it (a withdrawal after a grant on the other
 *       account stands, as the outreach gate reads the merged activity);</li>
 *   <li>notifications: both centres, newest first, each id once (the survivor's copy when both have it), at most
 *       {@link MemberDetails#MAX_NOTIFICATIONS}.</li>
 * </ul>
 * Applying it again changes nothing, so a merge finished after a crash may run it twice. Once the survivor has
 * them, the absorbed customer's item is emptied (kept, version and all, holding nothing): nothing reads it after
 * the merge (every route follows merged_into), personal data is kept in one place only (PIPL's minimisation), and
 * a merge finished again later finds nothing to bring back (a phone the member removed from the survivor since
 * stays removed). A crash between the two writes leaves the absorbed copy for the finishing run to move again,
 * which changes nothing unless the member changed the survivor's details in between.
 */
public final class MemberDetailsMerge {
    private final MemberDetailsStore details;
    private final PhoneSeal phones;

    public MemberDetailsMerge(MemberDetailsStore details, PhoneSeal phones) {
        this.details = details;
        this.phones = phones;
    }

    /** Moves what absorbed has onto survivor; nothing when absorbed never used the Mini Program. */
    public void merge(String tenant, String absorbed, String survivor, Instant now) {
        details.details(tenant, absorbed).ifPresent(from -> {
            details.update(tenant, survivor, into -> combine(into, from));
            details.update(tenant, absorbed, d -> MemberDetails.empty(absorbed).atVersion(d.version()));
        });
    }

    MemberDetails combine(MemberDetails into, MemberDetails from) {
        String sealed = into.phoneSealed();
        String masked = into.phoneMasked();
        if (sealed == null && from.phoneSealed() != null) {
            sealed = phones.seal(into.customerId(), phones.open(from.customerId(), from.phoneSealed()));
            masked = from.phoneMasked();
        }
        Map<String, MemberDetails.ConsentRecord> consents = new LinkedHashMap<>(into.consents());
        from.consents().forEach((purpose, c) -> consents.merge(purpose, c, (mine, theirs) ->
                theirs.at().isAfter(mine.at()) ? theirs : mine));
        Set<String> ids = new LinkedHashSet<>();
        List<MemberDetails.Notification> notes = new ArrayList<>();
        for (MemberDetails.Notification n : concat(into.notifications(), from.notifications())) {
            if (ids.add(n.id())) {
                notes.add(n);
            }
        }
        notes.sort(Comparator.comparing(MemberDetails.Notification::at).reversed());
        return new MemberDetails(into.customerId(), or(into.gender(), from.gender()),
                or(into.dateOfBirth(), from.dateOfBirth()), or(into.address(), from.address()),
                or(into.language(), from.language()), or(into.timeZone(), from.timeZone()), sealed, masked, consents,
                notes.subList(0, Math.min(MemberDetails.MAX_NOTIFICATIONS, notes.size())), into.version());
    }

    private static <T> T or(T mine, T theirs) {
        return mine != null ? mine : theirs;
    }

    private static List<MemberDetails.Notification> concat(List<MemberDetails.Notification> a,
                                                           List<MemberDetails.Notification> b) {
        List<MemberDetails.Notification> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
