package dev.siyu.core.callback;

import dev.siyu.core.channel.Placeholders;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.group.GroupSync;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.ProfileChange;
import dev.siyu.core.profile.ProfileMerge;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.StaffRelationship.EndedBy;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.tags.TagsAdded;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives each WeCom callback exactly one effect (docs/architecture.md, WeCom callback): claim it with a
 * lease, record it on the customer, do the fast actions WeCom's time limits demand (the welcome message,
 * the channel's tags), hand the rest to the journey queue once the record is written, and only then mark
 * the claim done. Any failure fails the callback: the claim is given back (or, if this instance dies, its
 * lease runs out) and WeCom's retry does it again. Everything a redo repeats is safe to repeat: profile
 * changes are re-applied to the latest copy and find themselves done, the pool counts once per callback,
 * a used welcome code is refused by WeCom, tags are marked idempotently, and the journey starter takes
 * one trigger per customer and kind. WeCom API errors after the record are written into it, and the
 * reconciler repairs them (docs/operations.md).
 */
public final class CallbackProcessor {
    /** WeCom retries within minutes; three days also covers a replayed backlog after an outage. */
    static final Duration DEDUP_TTL = Duration.ofDays(3);
    /**
     * How long an attempt holds a callback: over the callback function's 6 s timeout (template.yaml) by
     * 2 s (the claim's expiry is kept in whole seconds, and clocks differ), so the lease runs out only after
     * the attempt holding it has finished or been stopped. WeCom retries three times, 5 s apart: an attempt that died (a crash, a failed release)
     * blocks the retry at 5 s and gives the one at 10 s the callback (a 15 s lease blocked all three).
     */
    static final Duration LEASE = Duration.ofSeconds(8);
    private static final System.Logger LOG = System.getLogger(CallbackProcessor.class.getName());

    private final ScrmConfig config;
    private final CustomerStore customers;
    private final TenantLog tenantLog;
    private final ChannelDirectory channels;
    private final Rerouter rerouter;
    private final CorpTags corpTags;
    private final WeComApi wecom;
    private final JourneyQueue journeys;
    private final Clock clock;
    private final Ids ids;
    private final Executor io;
    private final CustomerLookup lookup;
    private final ProfileMerge merge;
    private final GroupSync groups;

    /** io runs the independent WeCom and table calls of one callback side by side. */
    public CallbackProcessor(ScrmConfig config, CustomerStore customers, TenantLog tenantLog, ChannelDirectory channels,
                             Rerouter rerouter, CorpTags corpTags, WeComApi wecom, JourneyQueue journeys,
                             Clock clock, Ids ids, Executor io, GroupSync groups) {
        this.config = config;
        this.customers = customers;
        this.tenantLog = tenantLog;
        this.channels = channels;
        this.rerouter = rerouter;
        this.corpTags = corpTags;
        this.wecom = wecom;
        this.journeys = journeys;
        this.clock = clock;
        this.ids = ids;
        this.io = io;
        this.lookup = new CustomerLookup(customers);
        this.merge = new ProfileMerge(customers, tenantLog, journeys);
        this.groups = groups;
    }

    public CallbackOutcome process(WeComEvent event) {
        String tenant = config.tenant();
        DedupKey key = event.dedupKey();
        String kind = kindOf(event);
        // A new contact's reads change nothing, so they run while the claim is decided; a
        // duplicate only wastes them. Its WeCom actions wait for the claim.
        Lookups lookups = event instanceof WeComEvent.ContactAdded e ? lookUp(e.externalUserId(), true) : null;
        Instant claimedAt = clock.instant();
        // This attempt's own token: a claim write the client retried finds itself, not "someone else processing".
        String token = CustomerStore.newToken();
        CustomerStore.Claim claim = customers.claimLease(tenant, key, token, claimedAt, claimedAt.plus(LEASE));
        if (claim == CustomerStore.Claim.PROCESSING) {
            LOG.log(Level.INFO, JsonLog.line("callback in progress elsewhere", "key", key.value()));
            return CallbackOutcome.inProgress(kind);
        }
        if (claim == CustomerStore.Claim.DONE) {
            LOG.log(Level.INFO, JsonLog.line("duplicate callback", "key", key.value()));
            return CallbackOutcome.duplicate(kind);
        }
        String customerId;
        try {
            customerId = dispatch(event, lookups);
        } catch (RuntimeException e) {
            customers.release(tenant, key, token);
            throw e;
        }
        customers.complete(tenant, key, token, clock.instant(), DEDUP_TTL);
        return new CallbackOutcome(false, kind, customerId);
    }

    private String dispatch(WeComEvent event, Lookups lookups) {
        if (event instanceof WeComEvent.ContactAdded e) {
            return contactAdded(e, lookups);
        } else if (event instanceof WeComEvent.ContactEdited e) {
            return contactEdited(e);
        } else if (event instanceof WeComEvent.ContactDeleted e) {
            return relationshipEnded(e.staffUserId(), e.externalUserId(), EndedBy.STAFF, e.createdAt(), e.dedupKey());
        } else if (event instanceof WeComEvent.FollowUserDeleted e) {
            return relationshipEnded(e.staffUserId(), e.externalUserId(), EndedBy.CUSTOMER, e.createdAt(), e.dedupKey());
        } else if (event instanceof WeComEvent.TransferFailed e) {
            return transferFailed(e);
        } else if (event instanceof WeComEvent.ChatCreated e) {
            groups.sync(e.chatId(), e.createdAt(), new TimelineEvent("cb|" + e.dedupKey().value(), e.createdAt(),
                    "group_created", null, Map.of("chat_id", e.chatId())));
        } else if (event instanceof WeComEvent.ChatUpdated e) {
            chatUpdated(e);
        } else if (event instanceof WeComEvent.ChatDismissed e) {
            groups.dismissed(e.chatId(), e.createdAt(), new TimelineEvent("cb|" + e.dedupKey().value(), e.createdAt(),
                    "group_dismissed", null, Map.of("chat_id", e.chatId())));
        } else if (event instanceof WeComEvent.TagChanged e) {
            // Someone edited corp tags in the admin console: our name -> id cache may be stale.
            corpTags.invalidate();
            tenantLog.append(config.tenant(), "TAGS", logEvent("corp_tag_" + e.changeType(),
                    Map.of("tag_id", n(e.tagId()), "tag_type", n(e.tagType()), "strategy_id", n(e.strategyId()))));
        } else {
            WeComEvent.Unhandled e = (WeComEvent.Unhandled) event;
            tenantLog.append(config.tenant(), "UNHANDLED", logEvent("unhandled_callback",
                    Map.of("event", n(e.event()), "change_type", n(e.changeType()))));
        }
        return null;
    }

    private String contactAdded(WeComEvent.ContactAdded e, Lookups lookups) {
        String tenant = config.tenant();
        Instant now = clock.instant();
        Optional<ChannelDirectory.Channel> channel = channels.resolve(e.state());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("state", n(e.state()));
        details.put("channel", channel.map(c -> c.spec().name()).orElse("none"));
        channel.flatMap(ChannelDirectory.Channel::store).ifPresent(s -> details.put("store_id", s.storeId()));

        // The WeCom calls need nothing of our records, so they go out at once and together: the
        // WelcomeCode is valid for 20 seconds and once, and the callback has 5 seconds in all.
        Map<String, String> values = placeholderValues(e.staffUserId(), channel);
        List<String> tags = channel.map(c -> c.spec().autoTags().stream().map(t -> Placeholders.render(t, values)).toList())
                .orElse(List.of());
        Map<String, String> welcomeDetails = new LinkedHashMap<>();
        Map<String, String> tagDetails = new LinkedHashMap<>();
        CompletableFuture<Void> welcome = CompletableFuture.runAsync(() -> channel.ifPresentOrElse(
                c -> sendWelcome(e, Placeholders.render(c.spec().welcomeMessage(), values), welcomeDetails),
                () -> welcomeDetails.put("welcome", "no_channel_code")), io);
        CompletableFuture<Void> tagging = CompletableFuture.runAsync(
                () -> markTags(e.staffUserId(), e.externalUserId(), tags, tagDetails), io);

        Identified who = identify(lookups, e.externalUserId(), channel, now);
        // Noted before the write, beside the WeCom calls: an attempt that dies after the write leaves it for the
        // reconciler (noted after or beside the write, a death in between lost the trigger and the pool count).
        Instant addedAt = e.createdAt() == null ? now : e.createdAt();
        // Timed by WeCom's CreateTime, as the run it starts is named: a retried callback's trigger starts that run
        // again (nothing), not a second run of a journey that restarts or whose first run ended.
        JourneyTrigger trigger = new JourneyTrigger(tenant, who.customerId(), "contact_added", addedAt,
                Map.of("staff", e.staffUserId(), "state", n(e.state())));
        LocalDate day = now.atZone(config.timezone()).toLocalDate();
        TenantLog.Repair handOff = pendingTrigger(e.dedupKey(), trigger, addedAt,
                channel.map(c -> poolWork(c.code().pool(), day)).orElse(Map.of()));
        CompletableFuture<Void> noted = CompletableFuture.runAsync(() -> tenantLog.needsRepair(tenant, handOff), io);
        join(welcome);
        join(tagging);
        join(noted);
        details.putAll(welcomeDetails);
        details.putAll(lookups.contactDetails());
        details.putAll(tagDetails);
        details.put("tags", String.join(",", tags));
        if (e.half()) {
            details.put("half", "true");
        }
        // Named by the event and timed by WeCom's CreateTime: a retried callback rewrites the same item instead of
        // adding a second contact_added (which would count the add twice for the pools and the activation runs).
        TimelineEvent added = new TimelineEvent(ids.derived("ev", addedAt, e.dedupKey().value()), addedAt,
                "contact_added", e.staffUserId(), details);
        AtomicReference<StaffRelationship> staleAgainst = new AtomicReference<>();
        ProfileChange change = current -> {
            StaffRelationship r = current.relationships().get(e.staffUserId());
            staleAgainst.set(EventOrder.addIsStale(r, e.createdAt()) ? r : null);
            CustomerProfile known = who.change().apply(current);
            CustomerProfile base = known == null ? current : known;
            if (staleAgainst.get() != null) {
                return known;
            }
            return base.withRelationship(StaffRelationship.started(e.staffUserId(), e.state(), e.createdAt(), e.half()), now)
                    .withTags(new TreeSet<>(tags), Set.of(), now);
        };
        List<TimelineEvent> events = new ArrayList<>(List.of(added));
        AtomicReference<Set<String>> tagsAdded = new AtomicReference<>(Set.of());
        customers.upsert(tenant, who.customerId(), who.fresh(), current -> {
            CustomerProfile next = change.apply(current);
            events.clear();
            events.add(staleAgainst.get() == null ? added : stale(e.staffUserId(), "add", e.createdAt(),
                    staleAgainst.get(), now));
            tagsAdded.set(staleAgainst.get() == null ? TagsAdded.added(current.tags(), tags) : Set.of());
            events.addAll(TagsAdded.events(ids, who.customerId(), tagsAdded.get(), "channel", e.staffUserId(), addedAt,
                    e.dedupKey().value()));
            return next;
        }, events);
        absorbWeComFirst(who, e.externalUserId(), lookups, now);
        if (staleAgainst.get() == null) {
            // After the write, so an add is never counted without its record; once per callback however often redone.
            channel.ifPresent(c -> rerouter.afterAdd(tenant, c, e.staffUserId(), day, e.dedupKey().value()));
            recordRepairs(who, e.staffUserId(), e.externalUserId(), tags, details, now);
            // After the write: a worker that picks the trigger up reads the relationship it starts from.
            handOff(trigger, handOff);
            TagsAdded.enqueue(config, journeys, who.customerId(), tagsAdded.get(), "channel", addedAt);
        } else {
            tenantLog.repaired(tenant, handOff);
        }
        return who.customerId();
    }

    /** What a stale relationship callback found: recorded, and nothing else done with it. */
    private TimelineEvent stale(String staff, String what, Instant eventTime, StaffRelationship r, Instant now) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("event", what);
        d.put("event_time", eventTime.toString());
        d.put("relationship_status", r.status() == null ? "" : r.status().name().toLowerCase(java.util.Locale.ROOT));
        d.put("since", r.since() == null ? "" : r.since().toString());
        d.put("ended_at", r.endedAt() == null ? "" : r.endedAt().toString());
        return new TimelineEvent(ids.next("ev", now), now, "callback_stale", staff, d);
    }

    private void sendWelcome(WeComEvent.ContactAdded e, String text, Map<String, String> details) {
        if (e.welcomeCode() == null || e.welcomeCode().isEmpty()) {
            // WeCom sends no code when the staff member has a welcome message of their own set up.
            details.put("welcome", "no_welcome_code");
            return;
        }
        try {
            // One delivery per callback: a redone callback's welcome carries the same touch id.
            wecom.touching("welcome#" + e.dedupKey().value()).sendWelcome(e.welcomeCode(), text);
            details.put("welcome", "sent");
            details.put("welcome_text", text);
        } catch (WeComApiException ex) {
            details.put("welcome", ex.errcode() == WeComApiException.WELCOME_CODE_USED ? "code_already_used" : "failed");
            details.put("welcome_errcode", Integer.toString(ex.errcode()));
        }
    }

    private WeComApi.ContactDetail contactDetail(String externalUserId, Map<String, String> details) {
        try {
            return wecom.contact(externalUserId);
        } catch (WeComApiException ex) {
            // The profile is still recorded; journey-worker refreshes the name and avatar later.
            details.put("contact_detail", "failed");
            details.put("contact_detail_errcode", Integer.toString(ex.errcode()));
            return null;
        }
    }

    private void markTags(String staff, String externalUserId, List<String> tags, Map<String, String> details) {
        if (tags.isEmpty()) {
            return;
        }
        try {
            wecom.markTag(staff, externalUserId, corpTags.ensure(tags), List.of());
            details.put("tags_marked_in_wecom", "true");
        } catch (WeComApiException ex) {
            details.put("tags_marked_in_wecom", "false");
            details.put("tags_errcode", Integer.toString(ex.errcode()));
        }
    }

    /**
     * Starts, side by side, what tells who this contact is: the external_userid alias (only merged
     * customers have one), WeCom's contact detail and, as soon as that names a unionid, the claim of
     * that unionid for the WeCom-first id. (The profile itself is read by the versioned write, which
     * needs the latest copy anyway.) The claim is a conditional
     * put: for a customer who holds the unionid already (a Mini Program member, a retry) it changes
     * nothing and answers with the owner, so it need not wait for the reads or the dedup claim.
     */
    private Lookups lookUp(String externalUserId, boolean withContact) {
        String tenant = config.tenant();
        String derived = CustomerLookup.wecomCustomerId(externalUserId);
        Map<String, String> contactDetails = new LinkedHashMap<>();
        CompletableFuture<WeComApi.ContactDetail> contact = withContact
                ? CompletableFuture.supplyAsync(() -> contactDetail(externalUserId, contactDetails), io)
                : CompletableFuture.completedFuture(null);
        return new Lookups(
                CompletableFuture.supplyAsync(() -> customers.customerIdFor(tenant, IdentityType.EXTERNAL_USERID, externalUserId), io),
                contact,
                contact.thenApplyAsync(c -> unionIdOf(c).map(u -> customers.claimIdentity(tenant, IdentityType.UNIONID, u, derived)), io),
                contactDetails);
    }

    private static Optional<String> unionIdOf(WeComApi.ContactDetail contact) {
        return contact == null || contact.unionId() == null || contact.unionId().isEmpty()
                ? Optional.empty() : Optional.of(contact.unionId());
    }

    /**
     * Who the contact is: the customer id, the profile to create when none is stored yet, and the change
     * that records their identities and contact detail on whatever copy is latest.
     */
    private Identified identify(Lookups lookups, String externalUserId, Optional<ChannelDirectory.Channel> channel,
                                Instant now) {
        String tenant = config.tenant();
        WeComApi.ContactDetail contact = join(lookups.contact());
        String unionId = unionIdOf(contact).orElse(null);
        Optional<String> alias = join(lookups.alias());
        Optional<String> unionOwner = join(lookups.unionOwner());
        String id;
        if (alias.isPresent()) {
            id = alias.get();
        } else if (unionOwner.isPresent() && !unionOwner.get().equals(CustomerLookup.wecomCustomerId(externalUserId))) {
            // UnionID first: a Mini Program member who adds a staff member is the same customer.
            id = unionOwner.get();
            customers.claimIdentity(tenant, IdentityType.EXTERNAL_USERID, externalUserId, id);
        } else {
            id = CustomerLookup.wecomCustomerId(externalUserId);
        }
        CustomerProfile fresh = new CustomerProfile(tenant, id, null, null,
                channel.map(c -> c.code().state()).orElse(null), channel.map(c -> c.spec().name()).orElse(null),
                channel.flatMap(ChannelDirectory.Channel::store).map(s -> s.storeId()).orElse(null),
                channel.flatMap(ChannelDirectory.Channel::store).map(s -> s.city()).orElse(null),
                Set.of(), Map.of(), Map.of(), now, now);
        ProfileChange change = current -> {
            CustomerProfile p = current;
            if (!externalUserId.equals(p.identities().get(IdentityType.EXTERNAL_USERID.key()))) {
                p = p.withIdentity(IdentityType.EXTERNAL_USERID, externalUserId, now);
            }
            if (unionId != null && !unionId.equals(p.identities().get(IdentityType.UNIONID.key()))) {
                p = p.withIdentity(IdentityType.UNIONID, unionId, now);
            }
            if (contact != null && (!java.util.Objects.equals(contact.name(), p.name())
                    || !java.util.Objects.equals(contact.avatar(), p.avatar()))) {
                p = p.withContact(contact.name(), contact.avatar(), now);
            }
            return p == current ? null : p;
        };
        return new Identified(id, fresh, change, unionId);
    }

    /**
     * A contact's customer id, the profile to create if none is stored, the change recording who they are,
     * and their unionid (null: WeCom named none, or the fetch failed).
     */
    private record Identified(String customerId, CustomerProfile fresh, ProfileChange change, String unionId) {
        Identified(String customerId, CustomerProfile fresh, ProfileChange change) {
            this(customerId, fresh, change, null);
        }
    }

    /**
     * After the record is written: a contact that is another customer (the external_userid alias or the unionid
     * names one) and was recorded WeCom-first before leaves no second live profile behind, whose journeys would
     * message the person again. Made on every such callback until done, so one cut short is finished by the next.
     */
    private void absorbWeComFirst(Identified who, String externalUserId, Lookups lookups, Instant now) {
        String derived = CustomerLookup.wecomCustomerId(externalUserId);
        if (who.customerId().equals(derived)) {
            return;
        }
        WeComApi.ContactDetail contact = join(lookups.contact());
        merge.absorb(config.tenant(), derived, who.customerId(), externalUserId, who.unionId(),
                contact == null ? null : contact.name(), contact == null ? null : contact.avatar(), now);
    }

    /**
     * After the record is written: what failed on WeCom's side goes on the tenant's repairs for the
     * reconciler (a contact whose detail failed is fetched again and merged; tags not marked are marked).
     */
    private void recordRepairs(Identified who, String staff, String externalUserId, List<String> tags,
                               Map<String, String> details, Instant now) {
        String tenant = config.tenant();
        // A failed fetch leaves the unionid unknown, and with it whether this contact is a Mini Program member
        // already. A fetch that named none is WeCom's answer: no unionid to merge by (no repair, no noise).
        if (who.unionId() == null && "failed".equals(details.get("contact_detail"))) {
            tenantLog.needsRepair(tenant, new TenantLog.Repair(Repairs.CONTACT_DETAIL, externalUserId, Map.of(
                    "customer_id", who.customerId(), "staff", staff, "reason", "fetch_failed"), now, 0));
        }
        if ("false".equals(details.get("tags_marked_in_wecom"))) {
            tenantLog.needsRepair(tenant, new TenantLog.Repair(Repairs.TAGS, who.customerId() + "#" + staff, Map.of(
                    "customer_id", who.customerId(), "staff", staff, "external_userid", externalUserId,
                    "tags", String.join(",", tags)), now, 0));
        }
    }

    /**
     * edit_external_contact: staff changed the customer's remark or corp tags in WeCom. externalcontact/get (already
     * read to identify them) carries every staff member's tags; those the profile lacks land on it, each with a
     * tag_added of source staff, and start tag_added journeys. Tags are only added: the suite's own tags are
     * marked in WeCom by a repairable call, so a tag missing there is not proof staff removed it.
     */
    private String contactEdited(WeComEvent.ContactEdited e) {
        Instant now = clock.instant();
        Instant at = e.createdAt() == null ? now : e.createdAt();
        Lookups lookups = lookUp(e.externalUserId(), true);
        Identified who = identify(lookups, e.externalUserId(), Optional.empty(), now);
        WeComApi.ContactDetail detail = join(lookups.contact());
        Map<String, String> byTag = new java.util.TreeMap<>();
        if (detail != null) {
            // Named by our tag name, set by the staff member who has it (the first of them, in WeCom's order).
            detail.tags().forEach(t -> byTag.putIfAbsent(t.tagName(), t.staffUserId()));
        }
        List<TimelineEvent> events = new ArrayList<>();
        TimelineEvent edited = new TimelineEvent(ids.derived("ev", at, "contact_edited|" + e.dedupKey().value()), at,
                "contact_edited", e.staffUserId(), lookups.contactDetails());
        AtomicReference<Set<String>> tagsAdded = new AtomicReference<>(Set.of());
        customers.upsert(config.tenant(), who.customerId(), who.fresh(), current -> {
            CustomerProfile identified = who.change().apply(current);
            CustomerProfile p = identified == null ? current : identified;
            Set<String> adding = TagsAdded.added(p.tags(), byTag.keySet());
            tagsAdded.set(adding);
            events.clear();
            events.add(edited);
            for (String tag : adding) {
                events.addAll(TagsAdded.events(ids, who.customerId(), Set.of(tag), "staff", byTag.get(tag), at,
                        e.dedupKey().value()));
            }
            return adding.isEmpty() ? identified : p.withTags(adding, Set.of(), now);
        }, events);
        absorbWeComFirst(who, e.externalUserId(), lookups, now);
        recordRepairs(who, e.staffUserId(), e.externalUserId(), List.of(), lookups.contactDetails(), now);
        TagsAdded.enqueue(config, journeys, who.customerId(), tagsAdded.get(), "staff", at);
        return who.customerId();
    }

    /**
     * Ends the relationship as of the event's CreateTime. A delete older than the relationship's start (a
     * retry or replay arriving after the customer was added again) ends nothing and is recorded as stale.
     */
    private String relationshipEnded(String staff, String externalUserId, EndedBy by, Instant at, DedupKey key) {
        String tenant = config.tenant();
        Instant now = clock.instant();
        Optional<CustomerProfile> known = lookup.byExternalUserId(tenant, externalUserId);
        Identified who = known.map(p -> new Identified(p.customerId(), p, current -> null))
                .orElseGet(() -> identify(lookUp(externalUserId, false), externalUserId, Optional.empty(), now));
        String endedBy = by.name().toLowerCase(java.util.Locale.ROOT);
        Map<String, String> details = Map.of("ended_by", endedBy, "suppressed", "true", "rule", "no_contact_after_delete");
        // Named by the callback and dated by its CreateTime: a redone callback rewrites the same timeline item.
        TimelineEvent ended = new TimelineEvent(ids.derived("ev", at, "relationship_ended|" + key.value()), at,
                "relationship_ended", staff, details);
        AtomicReference<StaffRelationship> before = new AtomicReference<>();
        AtomicReference<StaffRelationship> staleAgainst = new AtomicReference<>();
        List<TimelineEvent> events = new ArrayList<>();
        JourneyTrigger trigger = new JourneyTrigger(tenant, who.customerId(), "relationship_ended", at,
                Map.of("staff", staff, "ended_by", endedBy));
        // The pool the relationship counts in, as read before the write (its channel state does not change).
        String pool = known.map(p -> p.relationships().get(staff))
                .map(StaffRelationship::state).flatMap(channels::resolve).map(c -> c.code().pool()).orElse(null);
        TenantLog.Repair handOff = pendingTrigger(key, trigger, at, pool == null ? Map.of() : poolWork(pool, null));
        tenantLog.needsRepair(tenant, handOff);
        customers.upsert(tenant, who.customerId(), who.fresh(), current -> {
            CustomerProfile identified = who.change().apply(current);
            CustomerProfile p = identified == null ? current : identified;
            StaffRelationship r = p.relationships().get(staff);
            before.set(r);
            events.clear();
            if (EventOrder.deleteIsStale(r, at)) {
                staleAgainst.set(r);
                events.add(stale(staff, "delete", at, r, now));
                return identified;
            }
            staleAgainst.set(null);
            events.add(ended);
            if (r != null && r.suppressed()) {
                return identified;
            }
            return p.withRelationship((r == null ? StaffRelationship.started(staff, null, at, false) : r).ended(at, by), now);
        }, events);
        if (staleAgainst.get() != null) {
            tenantLog.repaired(tenant, handOff);
            return who.customerId();
        }
        StaffRelationship r = before.get();
        // Ended by this event (now, or by an earlier attempt of this callback): the pool counts it once.
        if (r != null && r.state() != null && (!r.suppressed() || at.equals(r.endedAt()))) {
            channels.resolve(r.state()).ifPresent(c -> {
                // Intent first: if the count fails or this instance dies, the reconciler makes it (once per key).
                TenantLog.Repair removal = new TenantLog.Repair(Repairs.POOL_REMOVAL, key.value(),
                        Map.of("pool", c.code().pool(), "staff", staff), now, 0);
                tenantLog.needsRepair(tenant, removal);
                rerouter.afterRemoval(tenant, c.code().pool(), staff, key.value());
                tenantLog.repaired(tenant, removal);
            });
        }
        handOff(trigger, handOff);
        return who.customerId();
    }

    private String transferFailed(WeComEvent.TransferFailed e) {
        String tenant = config.tenant();
        Instant now = clock.instant();
        Optional<String> customerId = lookup.byExternalUserId(tenant, e.externalUserId()).map(CustomerProfile::customerId);
        Map<String, String> details = Map.of("fail_reason", n(e.failReason()));
        Instant failedAt = e.createdAt() == null ? now : e.createdAt();
        // Named by the callback: a retried one rewrites the same event.
        TimelineEvent event = new TimelineEvent(ids.derived("ev", failedAt, "transfer_failed|" + e.dedupKey().value()),
                failedAt, "transfer_failed", e.staffUserId(), details);
        if (customerId.isPresent()) {
            JourneyTrigger trigger = new JourneyTrigger(tenant, customerId.get(), "transfer_failed", failedAt,
                    Map.of("staff", e.staffUserId(), "fail_reason", n(e.failReason())));
            TenantLog.Repair handOff = pendingTrigger(e.dedupKey(), trigger, now, Map.of());
            tenantLog.needsRepair(tenant, handOff);
            customers.append(tenant, customerId.get(), List.of(event));
            handOff(trigger, handOff);
        } else {
            tenantLog.append(tenant, "TRANSFERS", event);
        }
        return customerId.orElse(null);
    }

    /**
     * The members the callback names are a hint only: groupchat/get says who is in the group now, and the
     * difference from the stored members is what joined and left (GroupSync).
     */
    private void chatUpdated(WeComEvent.ChatUpdated e) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("chat_id", e.chatId());
        details.put("update_detail", n(e.updateDetail()));
        details.put("join_scene", Integer.toString(e.joinScene()));
        details.put("quit_scene", Integer.toString(e.quitScene()));
        details.put("member_change_count", Integer.toString(e.memberChangeCount()));
        details.put("members", String.join(",", e.memberChanges()));
        // Named by the callback and dated by its CreateTime: a redone callback writes the same log entry once.
        TimelineEvent logged = new TimelineEvent("cb|" + e.dedupKey().value(), e.createdAt(),
                "group_" + n(e.updateDetail()), null, details);
        groups.sync(e.chatId(), e.createdAt(), logged);
    }

    private Map<String, String> placeholderValues(String staffUserId, Optional<ChannelDirectory.Channel> channel) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("staff_name", config.staffMember(staffUserId).map(StaffMember::name).orElse(staffUserId));
        channel.flatMap(ChannelDirectory.Channel::store).ifPresent(s -> {
            values.put("store_name", s.storeName());
            values.put("city", s.city());
        });
        return values;
    }

    /**
     * Hands a trigger to the journey queue after the record is written, then drops the note written before it.
     * A failed send fails the callback: its claim is given back and WeCom's retry does the callback again,
     * which finds the record written and sends the trigger then (the journey starter takes one trigger per
     * customer and kind). When no retry comes (WeCom gave up, or this instance died), the note stays and the
     * reconciler sends it.
     */
    private void handOff(JourneyTrigger trigger, TenantLog.Repair note) {
        journeys.enqueue(trigger);
        tenantLog.repaired(config.tenant(), note);
    }

    /**
     * The note of a trigger to hand off, keyed by its callback; eventTime is what the write records, poolWork the
     * pool count the callback makes after the write (the reconciler makes it too, once per callback).
     */
    private static TenantLog.Repair pendingTrigger(DedupKey key, JourneyTrigger trigger, Instant eventTime,
                                                   Map<String, String> poolWork) {
        Map<String, String> d = new LinkedHashMap<>(trigger.details());
        d.putAll(poolWork);
        if (!poolWork.isEmpty()) {
            d.put(Repairs.TRIGGER_OPERATION, key.value());
        }
        d.put(Repairs.TRIGGER_CUSTOMER, trigger.customerId());
        d.put(Repairs.TRIGGER_KIND, trigger.kind());
        d.put(Repairs.TRIGGER_AT, trigger.at().toString());
        d.put(Repairs.TRIGGER_EVENT_TIME, eventTime.toString());
        return new TenantLog.Repair(Repairs.TRIGGER, trigger.kind() + "|" + key.value(), d, trigger.at(), 0);
    }

    private static Map<String, String> poolWork(String pool, LocalDate day) {
        return day == null ? Map.of(Repairs.TRIGGER_POOL, pool)
                : Map.of(Repairs.TRIGGER_POOL, pool, Repairs.TRIGGER_DAY, day.toString());
    }

    /** Waits for a parallel step; its failure fails the callback as if it had run inline. */
    private static <T> T join(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ex;
        }
    }

    /** The reads {@link #lookUp} started; contactDetails gets what went wrong fetching the contact. */
    private record Lookups(CompletableFuture<Optional<String>> alias,
                           CompletableFuture<WeComApi.ContactDetail> contact, CompletableFuture<Optional<String>> unionOwner,
                           Map<String, String> contactDetails) { }

    private TimelineEvent logEvent(String kind, Map<String, String> details) {
        Instant now = clock.instant();
        return new TimelineEvent(ids.next("ev", now), now, kind, null, details);
    }

    private static String kindOf(WeComEvent event) {
        return event.dedupKey().value().substring(0, event.dedupKey().value().indexOf('|'));
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }
}
