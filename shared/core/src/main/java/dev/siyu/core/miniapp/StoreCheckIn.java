package dev.siyu.core.miniapp;

import dev.siyu.core.config.Store;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A member's visit to a store, recorded when a staff member scans the member code at the till: a
 * {@code store_visit} timeline event (store, staff), the latest interaction moved forward (dormancy and the funnel
 * read it) and the {@code store_visit} journey trigger, as every other activity.
 *
 * <p>Once per visit: a scan at a store where the member already checked in within the last {@link #SAME_VISIT}
 * is that visit again (a double tap, a retry after a lost answer, a rescan with a fresh code because the first
 * one expired while the till waited), answered with the first scan's time. Each scan of it puts the same event
 * and sends the same trigger again (journey runs are named by the trigger's time, so a trigger sent twice starts
 * one run): a check-in a crash cut short between the visit and its trigger (the till sees an error and scans
 * again) gets its trigger then.
 */
public final class StoreCheckIn {
    public static final String STORE_VISIT = "store_visit";
    private static final System.Logger LOG = System.getLogger(StoreCheckIn.class.getName());
    /** A merge chain longer than this is a loop, not a history. */
    /** Scans at one store closer together than this are one visit: nobody leaves and comes back within it. */
    public static final Duration SAME_VISIT = Duration.ofMinutes(30);

    private final MemberCodes codes;

    public StoreCheckIn(MemberCodes codes) {
        this.codes = codes;
    }

    /** What the staff member sees after the scan. */
    public record Visit(String customerId, String name, String tier, long points, Instant visitedAt,
                        boolean firstVisitToday, boolean repeated) { }

    /**
     * Records the visit of the member whose code was scanned now at storeId by staffUserId.
     *
     * @throws BadInput member_code when the code is forged, expired or names nobody; store when the blueprint
     *                  declares no such store
     */
    public Visit checkIn(MemberServices m, String staffUserId, String memberCode, String storeId, Instant now) {
        String tenant = m.tenant();
        MemberCodes.Scanned scanned = codes.scan(tenant, memberCode, now).orElseThrow(() -> new BadInput(
                "member_code", "is not a member code shown in the last minute (expired or forged); ask the member "
                + "to refresh it"));
        Store store = m.engine().config().store(storeId).orElseThrow(() -> new BadInput("store",
                "is not one of the blueprint's stores"));
        CustomerStore customers = m.engine().ports().customers();
        String customerId = customers.survivor(tenant, scanned.customerId()).orElseThrow(() -> new BadInput(
                "member_code", "names no member"));
        List<TimelineEvent> timeline = customers.timeline(tenant, customerId);
        Optional<TimelineEvent> earlier = sameVisit(timeline, store.storeId(), now);
        // A new visit is named by customer, store and minute: two tills scanning at once write one event.
        String eventId = "visit-" + customerId + "-" + store.storeId() + "-" + now.getEpochSecond() / 60;
        TimelineEvent visit = earlier.orElseGet(() -> {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("store", store.storeId());
            d.put("store_name", store.storeName());
            d.put("staff", staffUserId);
            d.put("channel", "store");
            return new TimelineEvent(eventId, now, STORE_VISIT, staffUserId, d);
        });
        Instant at = visit.at();
        customers.update(tenant, customerId, p -> p.activity().lastInteractionAt() != null
                && !at.isAfter(p.activity().lastInteractionAt()) ? null
                : p.withActivity(p.activity().interactedAt(at), now), List.of(visit));
        m.engine().ports().triggers().enqueue(new JourneyTrigger(tenant, customerId, STORE_VISIT, at,
                Map.of("store", visit.details().getOrDefault("store", store.storeId()))));
        CustomerProfile p = customers.profile(tenant, customerId).orElseThrow(() -> new IllegalStateException(
                "the member's profile is gone"));
        // From the read above: one timeline read per scan (a visit recorded at the same moment by another till
        // may be missed, and then both say first).
        boolean first = firstToday(timeline, visit, m.engine().config().timezone());
        LOG.log(Level.INFO, JsonLog.line("store check-in", "tenant", tenant, "customer", customerId,
                "store", visit.details().get("store"), "staff", staffUserId, "repeated", earlier.isPresent()));
        // A member with no order yet has no tier stored: they are in the tier the blueprint gives 0 points.
        String tier = p.activity().points().tier();
        if (tier == null || tier.isBlank()) {
            tier = m.engine().config().membership().tierFor(p.activity().points().earned())
                    .map(dev.siyu.core.config.Membership.Tier::name).orElse(null);
        }
        return new Visit(customerId, p.name(), tier, p.activity().points().balance(), at, first, earlier.isPresent());
    }

    /** The member's latest visit to the store within {@link #SAME_VISIT} before now, if any. */
    static Optional<TimelineEvent> sameVisit(List<TimelineEvent> timeline, String storeId, Instant now) {
        Instant since = now.minus(SAME_VISIT);
        return timeline.stream().filter(e -> STORE_VISIT.equals(e.kind())
                        && storeId.equals(e.details().get("store")) && e.at().isAfter(since) && !e.at().isAfter(now))
                .max(java.util.Comparator.comparing(TimelineEvent::at));
    }

    /** No other visit on the same day in the brand's time zone came before this one. */
    static boolean firstToday(List<TimelineEvent> timeline, TimelineEvent visit, ZoneId zone) {
        LocalDate day = visit.at().atZone(zone).toLocalDate();
        return timeline.stream().filter(e -> STORE_VISIT.equals(e.kind()) && !e.eventId().equals(visit.eventId()))
                .filter(e -> e.at().atZone(zone).toLocalDate().equals(day))
                .noneMatch(e -> e.at().isBefore(visit.at())
                        || e.at().equals(visit.at()) && e.eventId().compareTo(visit.eventId()) < 0);
    }

}
