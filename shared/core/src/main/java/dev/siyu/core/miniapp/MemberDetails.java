package dev.siyu.core.miniapp;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Mini Program keeps about a member beyond the customer profile (name and avatar live there): the
 * personal details the member edits, the phone (sealed, and masked for display), the PIPL consents per purpose
 * and the notifications centre. One item per customer, written over the version it was read at.
 *
 * @param phoneSealed   the E.164 number sealed by {@link PhoneSeal}; null when none linked
 * @param consents      by purpose (marketing, profiling, personalization): the latest word on each
 * @param notifications newest first, at most {@link #MAX_NOTIFICATIONS}
 */
public record MemberDetails(String customerId, String gender, LocalDate dateOfBirth, String address,
                            String language, String timeZone, String phoneSealed, String phoneMasked,
                            Map<String, ConsentRecord> consents, List<Notification> notifications, long version) {
    public static final int MAX_NOTIFICATIONS = 50;

    public MemberDetails {
        consents = Map.copyOf(consents);
        notifications = List.copyOf(notifications);
    }

    public static MemberDetails empty(String customerId) {
        return new MemberDetails(customerId, null, null, null, null, null, null, null, Map.of(), List.of(), 0);
    }

    /** The member's latest word on one purpose (PIPL: what, which policy, when, through which channel). */
    public record ConsentRecord(String purpose, boolean granted, String policyVersion, Instant at, String channel) { }

    /** One entry of the notifications centre: kind is profile_update, reward, or promotion. */
    public record Notification(String id, String kind, String title, String body, Instant at, boolean read) { }

    public MemberDetails withPersonal(String g, LocalDate dob, String addr, String lang, String zone) {
        return new MemberDetails(customerId, g, dob, addr, lang, zone, phoneSealed, phoneMasked, consents,
                notifications, version);
    }

    public MemberDetails withPhone(String sealed, String masked) {
        return new MemberDetails(customerId, gender, dateOfBirth, address, language, timeZone, sealed, masked,
                consents, notifications, version);
    }

    public MemberDetails withConsent(ConsentRecord c) {
        Map<String, ConsentRecord> next = new LinkedHashMap<>(consents);
        next.put(c.purpose(), c);
        return new MemberDetails(customerId, gender, dateOfBirth, address, language, timeZone, phoneSealed,
                phoneMasked, next, notifications, version);
    }

    /** Adds n unless one with its id is there already (a retried request notifies once). */
    public MemberDetails notified(Notification n) {
        if (notifications.stream().anyMatch(x -> x.id().equals(n.id()))) {
            return this;
        }
        List<Notification> next = new ArrayList<>();
        next.add(n);
        next.addAll(notifications);
        return withNotifications(next.subList(0, Math.min(MAX_NOTIFICATIONS, next.size())));
    }

    public MemberDetails read(String notificationId) {
        return withNotifications(notifications.stream().map(n -> n.id().equals(notificationId) && !n.read()
                ? new Notification(n.id(), n.kind(), n.title(), n.body(), n.at(), true) : n).toList());
    }

    public boolean consented(String purpose) {
        ConsentRecord c = consents.get(purpose);
        return c != null && c.granted();
    }

    public MemberDetails atVersion(long v) {
        return new MemberDetails(customerId, gender, dateOfBirth, address, language, timeZone, phoneSealed,
                phoneMasked, consents, notifications, v);
    }

    private MemberDetails withNotifications(List<Notification> next) {
        return new MemberDetails(customerId, gender, dateOfBirth, address, language, timeZone, phoneSealed,
                phoneMasked, consents, next, version);
    }
}
