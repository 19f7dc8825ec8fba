package dev.siyu.core.sidebar;

import dev.siyu.core.config.ScriptLibrary;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.tags.TagsAdded;
import dev.siyu.core.time.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the staff sidebar (the page WeCom opens beside a customer chat) reads and changes, for one staff member
 * at a time: the customer card, tag edits (marked in WeCom as that staff member, then on the profile with source
 * {@value #SOURCE}), and the "customer replied" / "interaction" marks that journeys and the dormancy rules read.
 * A staff member sees and changes only customers they are an active contact of.
 *
 * <p>Every write names its request (the page sends one id per click): a retried request is claimed once, so a
 * double-sent click marks one reply, not two.
 */
public final class StaffSidebar {
    /** The source tag_added events from the sidebar carry. */
    public static final String SOURCE = "sidebar";
    /** The detail a mark's timeline event names its request by (the page's id of the click). */
    public static final String REQUEST_ID = "request_id";
    /** How many timeline events the card lists. */
    public static final int RECENT_EVENTS = 12;
    /** A request is processed by one attempt at a time; a crashed attempt's claim expires after this. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How long a processed request id is remembered (the page never retries a click a day later). */
    static final Duration KEEP_DONE = Duration.ofDays(1);

    /** What a mark says happened in the chat. */
    public enum Mark {
        /** The customer wrote back: the reply journeys wait for, and the first interaction of the funnel. */
        REPLIED("reply", true),
        /** Some other sign of life (a voice call, a question in person): keeps the customer out of dormancy. */
        INTERACTION("interaction", false);

        private final String kind;
        private final boolean reply;

        Mark(String kind, boolean reply) {
            this.kind = kind;
            this.reply = reply;
        }

        /** The timeline event's kind (and, for a reply, the journey trigger's). */
        public String kind() {
            return kind;
        }

        public static Mark parse(String text) {
            if ("replied".equals(text) || "reply".equals(text)) {
                return REPLIED;
            }
            if ("interaction".equals(text)) {
                return INTERACTION;
            }
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST,
                    "mark must be replied or interaction, not " + text);
        }
    }

    private final ScrmConfig config;
    private final CustomerStore customers;
    private final CustomerLookup lookup;
    private final JourneyQueue triggers;
    private final CorpTags corpTags;
    private final WeComApi wecom;
    private final Clock clock;
    private final Ids ids;

    public StaffSidebar(ScrmConfig config, CustomerStore customers, JourneyQueue triggers, CorpTags corpTags,
                        WeComApi wecom, Clock clock, Ids ids) {
        this.config = config;
        this.customers = customers;
        this.lookup = new CustomerLookup(customers);
        this.triggers = triggers;
        this.corpTags = corpTags;
        this.wecom = wecom;
        this.clock = clock;
        this.ids = ids;
    }

    public String tenant() {
        return config.tenant();
    }

    /** The customer chatting with staffUserId, as the page shows them. */
    public CustomerCard customer(String staffUserId, String externalUserId) {
        CustomerProfile p = yours(staffUserId, externalUserId);
        return card(p, staffUserId);
    }

    /** The customer's profile, when staffUserId is their active contact; refused otherwise. */
    public CustomerProfile yours(String staffUserId, String externalUserId) {
        if (externalUserId == null || externalUserId.isBlank()) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "external_userid is required");
        }
        CustomerProfile p = lookup.byExternalUserId(config.tenant(), externalUserId)
                .filter(found -> found.mergedInto().isEmpty())
                .orElseThrow(() -> new SidebarRefused(SidebarRefused.Reason.NOT_FOUND,
                        "no customer with external_userid " + externalUserId));
        StaffRelationship r = p.relationships().get(staffUserId);
        if (r == null || r.status() != StaffRelationship.Status.ACTIVE) {
            throw new SidebarRefused(SidebarRefused.Reason.NOT_YOUR_CUSTOMER,
                    "this customer is not your contact");
        }
        return p;
    }

    /**
     * Adds and removes corp tags of the blueprint's tag system: marked in WeCom as this staff member (mark_tag),
     * then on the profile, each added tag a tag_added of source sidebar (and its journey trigger), each removed
     * one a tag_removed. Only tags the customer lacks are added and only tags they have are removed.
     */
    public CustomerCard editTags(String staffUserId, String externalUserId, Set<String> add, Set<String> remove,
                                 String requestId) {
        CustomerProfile before = yours(staffUserId, externalUserId);
        Set<String> known = new TreeSet<>();
        config.tagSystem().dimensions().forEach(d -> known.addAll(d.tags()));
        for (String tag : union(add, remove)) {
            if (!known.contains(tag)) {
                throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST,
                        "'" + tag + "' is not a tag of the blueprint's tag_system");
            }
        }
        Set<String> overlap = new TreeSet<>(add);
        overlap.retainAll(remove);
        if (!overlap.isEmpty()) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "added and removed at once: " + overlap);
        }
        once(staffUserId, requestId, () -> {
            Set<String> adding = TagsAdded.added(before.tags(), add);
            Set<String> removing = new TreeSet<>(remove);
            removing.retainAll(before.tags());
            if (adding.isEmpty() && removing.isEmpty()) {
                return;
            }
            List<String> addIds = corpTags.ensure(List.copyOf(adding));
            List<String> removeIds = corpTags.ensure(List.copyOf(removing));
            // WeCom first: the staff member's tag is theirs in WeCom too, and a refused mark writes nothing here.
            wecom.markTag(staffUserId, externalUserId, addIds, removeIds);
            Instant now = clock.instant();
            String key = "sidebar|" + staffUserId + "|" + requestId;
            AtomicReference<Set<String>> added = new AtomicReference<>(Set.of());
            List<TimelineEvent> events = new ArrayList<>();
            customers.update(config.tenant(), before.customerId(), latest -> {
                Set<String> a = TagsAdded.added(latest.tags(), adding);
                Set<String> r = new TreeSet<>(removing);
                r.retainAll(latest.tags());
                added.set(a);
                events.clear();
                events.addAll(TagsAdded.events(ids, latest.customerId(), a, SOURCE, staffUserId, now, key));
                for (String tag : r) {
                    events.add(new TimelineEvent(ids.derived("ev", now, "tag_removed|" + tag + "|" + key), now,
                            "tag_removed", staffUserId, TagsAdded.details(tag, SOURCE)));
                }
                return a.isEmpty() && r.isEmpty() ? null : latest.withTags(a, r, now);
            }, events);
            TagsAdded.enqueue(config, triggers, before.customerId(), added.get(), SOURCE, now);
        });
        return customer(staffUserId, externalUserId);
    }

    /**
     * Records what the staff member saw in the chat: the timeline event (reply or interaction, source sidebar,
     * with the request id), the activity journeys and the dormancy rules read, and for a reply the journey
     * trigger "reply".
     *
     * <p>A retry of a request whose earlier attempt died after writing its event (its claim's lease ran out)
     * takes that event's time: the event id and the trigger's time, which names the journey run it starts, are
     * then the earlier attempt's, so the retry rewrites them instead of adding a second reply.
     */
    public void mark(String staffUserId, String externalUserId, Mark mark, String requestId) {
        CustomerProfile p = yours(staffUserId, externalUserId);
        once(staffUserId, requestId, () -> {
            Instant now = customers.timeline(config.tenant(), p.customerId()).stream()
                    .filter(e -> mark.kind().equals(e.kind()) && staffUserId.equals(e.staffUserId())
                            && SOURCE.equals(e.details().get("source"))
                            && requestId.equals(e.details().get(REQUEST_ID)))
                    .map(TimelineEvent::at)
                    .findFirst()
                    .orElseGet(clock::instant);
            Map<String, String> details = Map.of("source", SOURCE);
            TimelineEvent event = new TimelineEvent(ids.derived("ev", now, mark.kind() + "|sidebar|" + staffUserId
                    + "|" + requestId), now, mark.kind(), staffUserId, Map.of("source", SOURCE, REQUEST_ID, requestId));
            customers.update(config.tenant(), p.customerId(),
                    latest -> latest.withActivity(interacted(latest.activity(), now, mark.reply), now), List.of(event));
            if (mark.reply) {
                triggers.enqueue(new JourneyTrigger(config.tenant(), p.customerId(), mark.kind(), now, details));
            }
        });
    }

    /** A retried mark carries its first attempt's time: a later interaction recorded meanwhile stays the latest. */
    private static Activity interacted(Activity a, Instant at, boolean reply) {
        Activity marked = a.interacted(at, reply);
        return a.lastInteractionAt() == null ? marked : marked.interactedAt(a.lastInteractionAt());
    }

    /** The blueprint's scripts of scenario (blank: any) matching every word of query (blank: all). */
    public List<ScriptLibrary.Script> scripts(String scenario, String query) {
        return config.scripts().search(scenario, query);
    }

    public List<String> scenarios() {
        return config.scripts().scenarios();
    }

    /**
     * Runs work once per request id: a claim with a lease (a crashed attempt's expires and the retry runs it), a
     * duplicate of a finished request does nothing, one still running is refused as in progress.
     */
    private void once(String staffUserId, String requestId, Runnable work) {
        if (requestId == null || requestId.isBlank() || requestId.length() > 64) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "request_id (1 to 64 characters) is required");
        }
        DedupKey key = new DedupKey("sidebar|" + staffUserId + "|" + requestId);
        String token = CustomerStore.newToken();
        Instant now = clock.instant();
        CustomerStore.Claim claim = customers.claimLease(config.tenant(), key, token, now, now.plus(LEASE));
        if (claim == CustomerStore.Claim.DONE) {
            return;
        }
        if (claim == CustomerStore.Claim.PROCESSING) {
            throw new SidebarRefused(SidebarRefused.Reason.IN_PROGRESS, "this request is being processed; retry");
        }
        try {
            work.run();
        } catch (RuntimeException e) {
            customers.release(config.tenant(), key, token);
            throw e;
        }
        customers.complete(config.tenant(), key, token, clock.instant(), KEEP_DONE);
    }

    private CustomerCard card(CustomerProfile p, String staffUserId) {
        Activity a = p.activity();
        List<TimelineEvent> timeline = customers.timeline(config.tenant(), p.customerId());
        List<CustomerCard.Moment> recent = timeline.stream()
                .sorted(Comparator.comparing(TimelineEvent::at).reversed())
                .limit(RECENT_EVENTS)
                .map(e -> new CustomerCard.Moment(e.at(), e.kind(), e.staffUserId(), e.details()))
                .toList();
        StaffRelationship r = p.relationships().get(staffUserId);
        List<TagSystem.TagDimension> catalog = config.tagSystem().dimensions();
        return new CustomerCard(p.customerId(), p.externalUserId(), p.name(), p.avatar(), p.channelName(), a.stage(),
                List.copyOf(p.tags()), catalog, r == null ? null : r.since(), a.lastInteractionAt(), a.firstReplyAt(),
                a.totalSpend(), a.orderCount(), a.consentWithdrawnAt() != null
                && (a.consentGrantedAt() == null || a.consentWithdrawnAt().isAfter(a.consentGrantedAt())),
                List.copyOf(new TreeSet<>(a.groups().values().stream().filter(g -> !g.isBlank()).toList())), recent);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
