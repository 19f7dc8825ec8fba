package dev.siyu.core.schedule;

import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.ConditionException;
import dev.siyu.core.condition.Facts;
import dev.siyu.core.callback.Repairs;
import dev.siyu.core.config.Community;
import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.outreach.SendReconciler;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.Attachment;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Community graduation and pruning (seed: "downgrading inactive users, upgrading high-value users"),
 * run daily, inside business hours (an invite the gate defers for quiet hours is only asked again on the
 * next run).
 *
 * <p><b>Pruning.</b> A group member with no interaction for {@link Community#inactiveDays()} (counted
 * from the later of their last interaction and their latest group join: joining is a sign of life) is
 * downgraded once: tagged {@link Community#downgradeTag()} on the profile and in WeCom, flagged
 * {@code downgraded} (perks pause, see {@link PerkPolicy}) and {@code member_downgraded} on the timeline.
 *
 * <p><b>Graduation.</b> Group types with an entry_condition are the VIP tiers. A customer who is in no
 * group of such a type, is not inactive and satisfies its condition is invited up, highest spend first:
 * the gate is asked ({@code Touch.groupInvite} through their staff member; consent is required) and on
 * ALLOW their staff member gets an add_msg_template invite with the group's link ({@code group_invite_sent}).
 * The group is the one of that type with the most room, where room is max_members minus members minus
 * invites still pending; a customer is never sent to a group they left. When none has room the
 * customer is counted as {@code vipFull}.
 *
 * <p>Pending invites are read from the candidates' own timelines: a {@code group_invite_sent} within
 * {@link #INVITE_VALID} (WeCom group QR codes and join links last 7 days) for a customer still not in the
 * group holds a seat, and that customer is not invited again until it lapses. Likewise a gate decision
 * that dropped or deferred an invite within that time is not asked again every day. Each invite is reserved as
 * an intent (its touch record, conditional on the customer's seq) before the WeCom call: two overlapping runs
 * cannot both invite a customer, and a run that lost an invite's outcome leaves the intent for the next run
 * to settle from WeCom's own list, so a customer is never invited twice for want of a record.
 */
public final class CommunityCare {
    public static final String DOWNGRADED = "downgraded";
    public static final String INVITE_SENT = "group_invite_sent";
    /**
     * How long a run may be between an invite's reservation and its WeCom call (a scheduled job lives 300 s).
     * An intent is settled only once it is older, and looked up only within it: an invite is never sent again
     * under its intent, so a same-text invite to the customer later is another one, not this one.
     */
    static final Duration IN_FLIGHT = Duration.ofMinutes(10);
    /** Notes read per run: invites whose run died are a handful a day. */
    private static final int NOTES = 200;
    static final Duration INVITE_VALID = Duration.ofDays(7);
    private static final System.Logger LOG = System.getLogger(CommunityCare.class.getName());

    private final ScrmConfig config;
    private final GroupStore groups;
    private final CustomerStore customers;
    private final ProfileScan profiles;
    private final Outreach outreach;
    private final WeComApi wecom;
    private final WeComTagging tagging;
    private final ConditionCompiler compiler;
    private final Ids ids;
    private final SendReconciler reconciler;
    private final TenantLog log;

    /** @param outreach the tenant's gate with its counters and decision counts */
    public CommunityCare(ScrmConfig config, GroupStore groups, CustomerStore customers, ProfileScan profiles,
                         Outreach outreach, WeComApi wecom, CorpTags corpTags, ConditionCompiler compiler, Ids ids,
                         TenantLog log) {
        this.log = log;
        this.config = config;
        this.groups = groups;
        this.customers = customers;
        this.profiles = profiles;
        this.outreach = outreach;
        this.wecom = wecom;
        this.tagging = new WeComTagging(wecom, corpTags);
        this.compiler = compiler;
        this.ids = ids;
        this.reconciler = new SendReconciler(wecom);
    }

    /**
     * @param members           distinct customers found in our groups
     * @param downgraded        members downgraded by this run
     * @param alreadyDowngraded inactive members downgraded before
     * @param unknownMembers    members idle long enough to be looked at who have no profile (a missed callback),
     *                          left alone
     */
    public record PruneSummary(int members, int downgraded, int alreadyDowngraded, int unknownMembers,
                               int weComFailures) { }

    /**
     * @param candidates     customers who satisfy a VIP entry_condition and are in no group of that type
     * @param invited        invites sent by this run
     * @param stillPending   candidates invited within the last 7 days who have not joined yet
     * @param recentlyAsked  candidates the gate dropped or deferred within the last 7 days
     * @param notAllowed     candidates the gate did not allow now (logged on their timelines)
     * @param vipFull        candidates for whom no group of the type had room
     * @param noContact      candidates without an active staff member to send the invite
     * @param problems       entry conditions that do not compile, and similar
     */
    public record InviteSummary(int candidates, int invited, int stillPending, int recentlyAsked, int notAllowed,
                                int vipFull, int noContact, int failed, List<String> problems) {
        public InviteSummary {
            problems = List.copyOf(problems);
        }
    }

    public record Summary(PruneSummary pruning, InviteSummary invites) { }

    public Summary run(Instant now) {
        return new Summary(prune(now), inviteUp(now));
    }

    public PruneSummary prune(Instant now) {
        String tenant = config.tenant();
        Community community = config.community();
        // customer -> latest join and the groups, over all of our groups: one downgrade per customer.
        Map<String, Instant> latestJoin = new LinkedHashMap<>();
        Map<String, List<String>> chats = new HashMap<>();
        List<GroupStore.Group> ours = groups.groups(tenant).stream().filter(g -> g.groupType() != null)
                .sorted(Comparator.comparing(GroupStore.Group::chatId)).toList();
        for (GroupStore.Group g : ours) {
            for (GroupStore.Member m : groups.members(tenant, g.chatId())) {
                Instant joined = m.joinedAt() == null ? Instant.EPOCH : m.joinedAt();
                latestJoin.merge(m.customerId(), joined, (a, b) -> a.isAfter(b) ? a : b);
                chats.computeIfAbsent(m.customerId(), k -> new ArrayList<>()).add(g.chatId());
            }
        }
        int downgraded = 0;
        int already = 0;
        int unknown = 0;
        int weComFailures = 0;
        for (Map.Entry<String, Instant> e : latestJoin.entrySet()) {
            if (Facts.days(e.getValue(), now) < community.inactiveDays()) {
                // Joined too recently to be idle, whatever the profile says: not worth reading it.
                continue;
            }
            Optional<CustomerProfile> found = customers.profile(tenant, e.getKey());
            if (found.isEmpty()) {
                unknown++;
                continue;
            }
            CustomerProfile p = found.get();
            Instant lastSign = latest(p.activity().lastInteractionAt(), e.getValue());
            long idle = Facts.days(lastSign, now);
            if (idle < community.inactiveDays()) {
                continue;
            }
            if (p.activity().flags().contains(DOWNGRADED)) {
                already++;
                continue;
            }
            String tag = community.downgradeTag();
            Set<String> add = p.tags().contains(tag) ? Set.of() : Set.of(tag);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("days_inactive", Long.toString(idle));
            details.put("groups", String.join(",", chats.get(e.getKey())));
            details.put("tag", tag);
            if (!add.isEmpty()) {
                WeComTagging.Result marked = tagging.mark(p, add, Set.of());
                if (marked.outcome() == WeComTagging.Outcome.FAILED) {
                    weComFailures++;
                }
                details.putAll(marked.details());
            }
            customers.update(p.tenant(), p.customerId(), latest -> latest.activity().flags().contains(DOWNGRADED) ? null
                    : latest.withTags(add, Set.of(), now).withActivity(latest.activity().flagged(DOWNGRADED), now),
                    List.of(new TimelineEvent(ids.next("ev", now), now, "member_downgraded", null, details)));
            downgraded++;
        }
        return new PruneSummary(latestJoin.size(), downgraded, already, unknown, weComFailures);
    }

    public InviteSummary inviteUp(Instant now) {
        List<String> problems = new ArrayList<>();
        Map<GroupType, Condition> tiers = new LinkedHashMap<>();
        for (GroupType type : config.groupTypes()) {
            if (type.entryCondition() == null || type.entryCondition().isBlank()) {
                continue;
            }
            try {
                tiers.put(type, compiler.compile(type.entryCondition()));
            } catch (ConditionException e) {
                problems.add("entry_condition of \"" + type.name() + "\" does not compile (column " + e.column()
                        + "): " + e.getMessage());
            }
        }
        InviteTally t = new InviteTally();
        settleNoted(now);
        if (tiers.isEmpty()) {
            return t.summary(problems);
        }
        Map<GroupType, List<CustomerProfile>> candidates = new LinkedHashMap<>();
        ProfileScan.Pass pass = candidates(tiers, now, problems, candidates);
        for (Map.Entry<GroupType, List<CustomerProfile>> e : candidates.entrySet()) {
            inviteTo(e.getKey(), e.getValue(), now, t);
        }
        // the candidates found before the deadline were invited; the retry continues the pass with the rest
        pass.requireComplete();
        return t.summary(problems);
    }

    /** Fills found with the candidates of each tier, reading the profiles as a resumable pass of the day. */
    private ProfileScan.Pass candidates(Map<GroupType, Condition> tiers, Instant now, List<String> problems,
                                        Map<GroupType, List<CustomerProfile>> found) {
        tiers.keySet().forEach(type -> found.put(type, new ArrayList<>()));
        Map<String, Integer> evaluationErrors = new LinkedHashMap<>();
        ProfileScan.Pass pass = profiles.pass(config.tenant(), "community#" + LocalDate.ofInstant(now, config.timezone()), p -> {
            if (inactive(p, now)) {
                return;
            }
            Map<String, Object> vars = Facts.vars(Facts.customer(p, now), Map.of(), Map.of(), now);
            for (Map.Entry<GroupType, Condition> tier : tiers.entrySet()) {
                if (p.activity().groups().containsValue(tier.getKey().name())) {
                    continue;
                }
                try {
                    if (tier.getValue().holds(vars)) {
                        found.get(tier.getKey()).add(p);
                    }
                } catch (RuntimeException ex) {
                    evaluationErrors.merge(tier.getKey().name(), 1, Integer::sum);
                }
            }
        });
        evaluationErrors.forEach((type, n) -> problems.add("entry_condition of \"" + type + "\" failed to evaluate for "
                + n + " customer(s)"));
        // Seats are few: the most valuable customers are asked first.
        found.values().forEach(list -> list.sort(Comparator.comparingDouble((CustomerProfile p) -> -p.activity().totalSpend())
                .thenComparing(CustomerProfile::customerId)));
        return pass;
    }

    private void inviteTo(GroupType type, List<CustomerProfile> candidates, Instant now, InviteTally t) {
        String tenant = config.tenant();
        List<GroupStore.Group> tierGroups = groups.groups(tenant).stream()
                .filter(g -> type.name().equals(g.groupType()) && !"dismissed".equals(g.status())).toList();
        Set<String> tierChats = new TreeSet<>();
        tierGroups.forEach(g -> tierChats.add(g.chatId()));
        Map<String, Integer> pending = new HashMap<>();
        List<CustomerProfile> toAsk = new ArrayList<>();
        Map<String, List<TouchRecord>> records = new HashMap<>();
        for (CustomerProfile p : candidates) {
            t.candidates++;
            List<TouchRecord> known;
            try {
                known = outreach.touches(tenant, p.customerId());
            } catch (RuntimeException e) {
                // Not invited today, the others are.
                t.failed++;
                continue;
            }
            records.put(p.customerId(), known);
            Recent recent = recent(p, type, tierChats, now);
            String prefix = touchIdPrefix(type, p);
            if (known.stream().anyMatch(r -> r.status() == TouchRecord.Status.SENDING && r.id().startsWith(prefix))) {
                // An invite of this tier still in flight, or left by a run that died minutes ago: settled by a
                // later run, never sent beside it.
                t.stillPending++;
            } else if (recent.pendingChat() != null) {
                pending.merge(recent.pendingChat(), 1, Integer::sum);
                t.stillPending++;
            } else if (recent.asked()) {
                t.recentlyAsked++;
            } else {
                toAsk.add(p);
            }
        }
        for (CustomerProfile p : toAsk) {
            List<String> staff = p.activeStaff();
            if (staff.isEmpty() || p.externalUserId() == null) {
                t.noContact++;
                continue;
            }
            Optional<GroupStore.Group> group = tierGroups.stream()
                    .filter(g -> !p.activity().leftGroups().contains(g.chatId()))
                    // Only a group with a join way can be joined from an invite (add_join_way's QR code).
                    .filter(g -> g.inviteLink() != null)
                    .filter(g -> room(type, g, pending) > 0)
                    .max(Comparator.comparingInt((GroupStore.Group g) -> room(type, g, pending))
                            .thenComparing(GroupStore.Group::chatId, Comparator.reverseOrder()));
            if (group.isEmpty()) {
                t.vipFull++;
                continue;
            }
            invite(p, staff.get(staff.size() - 1), type, group.get(), pending, records.get(p.customerId()), now, t);
        }
    }

    /**
     * Asks the gate and, on ALLOW, reserves the invite as an intent (its touch record, SENDING) before the WeCom
     * call, then writes its event (named by the touch, so writing it again adds nothing) and settles the record.
     * A run that died after the call, or whose writes failed, leaves the intent for {@link #settleEarlier}: the
     * invite is never sent a second time for want of its record.
     */
    private void invite(CustomerProfile p, String staff, GroupType type, GroupStore.Group group,
                        Map<String, Integer> pending, List<TouchRecord> known, Instant now, InviteTally t) {
        String tenant = config.tenant();
        String touchId = touchIdPrefix(type, p) + now.atZone(config.timezone()).toLocalDate() + "|" + group.chatId();
        Map<String, String> details = details(type, group.chatId(), group.name());
        Touch touch = Touch.groupInvite(p.customerId(), staff, group.chatId());
        Outreach.Asked asked = outreach.ask(p, known, touch, now, INVITE_SENT, details);
        if (!asked.decision().allowed()) {
            t.notAllowed++;
            customers.append(tenant, p.customerId(), List.of(asked.event()));
            return;
        }
        TouchRecord intent = outreach.records(asked, touch, now, touchId).get(0).intent();
        // Noted on the tenant's repairs, with its sender, before the intent exists: a later run (or the reconciler)
        // settles it even if the customer is no longer a candidate by then (they joined), looking it up as the
        // sender who made it; a note with no intent behind it is simply dropped.
        TenantLog.Repair note = new TenantLog.Repair(Repairs.VIP_INVITE, touchId, Map.of("customer", p.customerId(),
                "group_type", type.name(), "staff", staff), now, 0);
        log.needsRepair(tenant, note);
        if (!outreach.reserve(tenant, intent)) {
            // Another run took this customer's slot meanwhile: it is asked again on the next run.
            t.recentlyAsked++;
            return;
        }
        String msgid;
        try {
            msgid = wecom.touching(touchId).addMsgTemplate(invitation(type, group.name(), group.inviteLink(), staff, p));
        } catch (WeComApiException e) {
            // Cancelled only when WeCom said no: on an unknown outcome the invite may be out, and the next run
            // asks WeCom before inviting again (at most once).
            if (e.refused()) {
                outreach.record(tenant, intent.settled(TouchRecord.Status.CANCELLED, null));
                log.repaired(tenant, note);
            }
            t.failed++;
            LOG.log(Level.WARNING, JsonLog.line("vip invite failed", "tenant", tenant, "customer", p.customerId(),
                    "errcode", e.errcode()));
            Map<String, String> failed = new LinkedHashMap<>(details);
            failed.put("errcode", Integer.toString(e.errcode()));
            customers.append(tenant, p.customerId(), List.of(new TimelineEvent(ids.next("ev", now), now,
                    "group_invite_failed", staff, failed)));
            return;
        }
        TimelineEvent ev = asked.event();
        customers.append(tenant, p.customerId(), List.of(new TimelineEvent(ids.derived("ev", intent.at(), touchId),
                intent.at(), ev.kind(), ev.staffUserId(), ev.details())));
        outreach.record(tenant, intent.settled(TouchRecord.Status.SENT, msgid == null ? "" : msgid));
        log.repaired(tenant, note);
        pending.merge(group.chatId(), 1, Integer::sum);
        t.invited++;
    }

    /**
     * Settles the invites earlier runs left as intents (their notes on the tenant's repairs), whoever the customer
     * is now: looked up in WeCom as their sender made them (sender, text, recipient), found or not to be known they
     * get their event and count as sent (never sent again), certainly absent they are cancelled and the customer
     * may be invited again. A note younger than {@link #IN_FLIGHT} may belong to a run still working on it. One
     * note's failure leaves it for the next run.
     */
    private void settleNoted(Instant now) {
        String tenant = config.tenant();
        for (TenantLog.Repair note : log.repairs(tenant, NOTES)) {
            if (!Repairs.VIP_INVITE.equals(note.kind()) || note.at().plus(IN_FLIGHT).isAfter(now)) {
                continue;
            }
            try {
                settleNote(note, now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, JsonLog.line("vip invite not settled", "tenant", tenant, "invite", note.key(),
                        "error", e.toString()));
            }
        }
    }

    /**
     * Settles one invite note (see {@link #settleNoted}); also made by the hourly reconciler, so an invite whose run
     * died is recorded within the hour. Two settlers of one note write the same event and record. False: the note
     * is too young to settle yet.
     */
    public boolean settleNote(TenantLog.Repair note, Instant now) {
        if (note.at().plus(IN_FLIGHT).isAfter(now)) {
            return false;
        }
        settle(note, now);
        log.repaired(config.tenant(), note);
        return true;
    }

    private void settle(TenantLog.Repair note, Instant now) {
        String tenant = config.tenant();
        String customerId = note.details().get("customer");
        Optional<CustomerProfile> p = customers.profile(tenant, customerId);
        Optional<TouchRecord> left = outreach.touches(tenant, customerId).stream()
                .filter(r -> r.id().equals(note.key()) && r.status() == TouchRecord.Status.SENDING).findFirst();
        Optional<GroupType> type = config.groupTypes().stream()
                .filter(t -> t.name().equals(note.details().get("group_type"))).findFirst();
        if (left.isEmpty() || p.isEmpty() || type.isEmpty()) {
            return;
        }
        TouchRecord r = left.get();
        String staff = note.details().get("staff");
        String chatId = r.id().substring(r.id().lastIndexOf('|') + 1);
        Optional<GroupStore.Group> group = groups.groups(tenant).stream()
                .filter(g -> g.chatId().equals(chatId)).findFirst();
        String name = group.map(GroupStore.Group::name).orElse("");
        SendReconciler.Lookup found = reconciler.message(invitation(type.get(), name,
                group.map(GroupStore.Group::inviteLink).orElse(null), staff, p.get()), r.at(),
                earliest(now, r.at().plus(IN_FLIGHT)));
        if (found.kind() == SendReconciler.Lookup.Kind.ABSENT) {
            outreach.record(tenant, r.settled(TouchRecord.Status.CANCELLED, null));
            return;
        }
        TimelineEvent ev = outreach.alreadySent(Touch.groupInvite(customerId, staff, chatId), r.at(), INVITE_SENT,
                details(type.get(), chatId, name), found.outcome());
        customers.append(tenant, customerId, List.of(new TimelineEvent(ids.derived("ev", r.at(), r.id()), r.at(),
                ev.kind(), ev.staffUserId(), ev.details())));
        outreach.record(tenant, r.settled(TouchRecord.Status.SENT, found.outcome()));
    }

    /** Names one invite: the tier, the customer, the day and the group ({@code community#vip-invite|...}). */
    private static String touchIdPrefix(GroupType type, CustomerProfile p) {
        return "community#vip-invite|" + type.name() + "|" + p.customerId() + "|";
    }

    private static Map<String, String> details(GroupType type, String chatId, String groupName) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("purpose", "vip_invite");
        details.put("group_type", type.name());
        details.put("chat_id", chatId);
        details.put("group_name", groupName == null ? "" : groupName);
        return details;
    }

    /** The invite: the tier's text and the group's join-way link (its QR code), which is what a look-up matches. */
    private static MsgTemplate invitation(GroupType type, String groupName, String link, String staff,
                                          CustomerProfile p) {
        return MsgTemplate.single(staff, List.of(p.externalUserId()), type.inviteText().replace("{group_type}",
                type.name()), new Attachment("link", groupName, link));
    }

    /** Seats left: max_members minus members minus invites still pending; never negative. */
    private static int room(GroupType type, GroupStore.Group g, Map<String, Integer> pending) {
        return Math.max(0, type.maxMembers() - g.memberCount() - pending.getOrDefault(g.chatId(), 0));
    }

    /** The candidate's latest invite to a group of this tier, or gate decision about one, within 7 days. */
    private Recent recent(CustomerProfile p, GroupType type, Set<String> tierChats, Instant now) {
        Instant since = now.minus(INVITE_VALID);
        String pendingChat = null;
        boolean asked = false;
        for (TimelineEvent e : customers.timeline(config.tenant(), p.customerId(), since)) {
            if (e.at().isBefore(since) || !type.name().equals(e.details().get("group_type"))) {
                continue;
            }
            if (INVITE_SENT.equals(e.kind()) && tierChats.contains(e.details().get("chat_id"))) {
                pendingChat = e.details().get("chat_id");
            } else if (Outreach.DROPPED.equals(e.kind()) || Outreach.DEFERRED.equals(e.kind())) {
                asked = true;
            }
        }
        return new Recent(pendingChat, asked);
    }

    private boolean inactive(CustomerProfile p, Instant now) {
        Instant added = p.createdAt() == null ? now : p.createdAt();
        Instant last = p.activity().lastInteractionAt() == null ? added : p.activity().lastInteractionAt();
        return Facts.days(last, now) >= config.community().inactiveDays();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private record Recent(String pendingChat, boolean asked) { }

    private static final class InviteTally {
        int candidates;
        int invited;
        int stillPending;
        int recentlyAsked;
        int notAllowed;
        int vipFull;
        int noContact;
        int failed;

        InviteSummary summary(List<String> problems) {
            return new InviteSummary(candidates, invited, stillPending, recentlyAsked, notAllowed, vipFull, noContact,
                    failed, problems);
        }
    }
}
