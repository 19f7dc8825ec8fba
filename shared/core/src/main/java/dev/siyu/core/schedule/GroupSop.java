package dev.siyu.core.schedule;

import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.SopCalendar;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.Consent;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.CustomerState;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.outreach.SendReconciler;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DecisionCounts;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchLog;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.Attachment;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code group-sop} schedule: the group content calendar. For every group whose group
 * type has a {@code sop_template}, each daily slot and each weekly event of the day (on its weekday, for
 * its group types; none listed = every group of the template) becomes a group message draft for the group
 * owner to confirm ({@code add_msg_template}, chat_type group), with a Mini Program card when the slot
 * says so.
 *
 * <p>Every draft asks the outreach gate first, as the group: the audience is a pseudo-customer
 * {@code group:<chatId>} whose consent counts from the group's creation (its members chose to join) and
 * whose content mix is that pseudo-customer's own window in {@link OutreachCounters}. What the gate says:
 * <ul>
 *   <li>ALLOW: the draft is created once. The slot is claimed with
 *       {@code DEDUP sop|<chatId>|<date>|<slot>} only now, so overlapping or repeated runs never draft it
 *       twice, and a draft WeCom refused gives the claim back for the next run.</li>
 *   <li>DEFER (quiet hours, e.g. the 08:30 slot before a 09:00 opening): the slot stays pending, unclaimed,
 *       and the first run at or after the deferral time drafts it. The deferral is logged once.</li>
 *   <li>DEFER past the slot's own day (the 21:00 slot when business hours end at 21:00): skipped and
 *       logged: a day's "tomorrow's preview" posted the next morning is stale, and the next day has its
 *       own slot.</li>
 *   <li>DROP (e.g. a promotion that would take the group over 30% promotional): skipped and logged.</li>
 * </ul>
 * Every decision that takes effect goes to {@link TenantLog} under {@code GROUP#<chatId>} and is counted.
 *
 * <p>Window: each run looks at the whole current local day up to now, not just the minutes since the
 * last run. Nothing stores a cursor, a run that was missed or failed must be caught up, and a deferred
 * slot must be found again after its deferral; the claim makes looking again harmless. It costs one
 * conditional put per slot already done today and group per run. Earlier days are never caught up.
 */
public final class GroupSop {
    /**
     * How long after its time (or its deferred opening) a scheduled run still looks at a slot: a few runs
     * of the 15-minute schedule, so each slot costs a handful of conditional writes instead of one per
     * run for the rest of the day. A run after a longer outage catches up with {@link #WHOLE_DAY}.
     */
    public static final java.time.Duration SCHEDULED_LOOKBACK = java.time.Duration.ofHours(1);
    public static final java.time.Duration WHOLE_DAY = java.time.Duration.ofDays(1);

    /** Keys hold the date, so they only need to outlive the day (plus a margin for clock skew). */
    static final Duration DEDUP_TTL = Duration.ofDays(3);
    public static final String GROUP_PREFIX = dev.siyu.core.outreach.Outreach.GROUP_AUDIENCE_PREFIX;

    private final ScrmConfig config;
    private final GroupStore groups;
    private final CustomerStore claims;
    private final OutreachGate gate;
    private final OutreachCounters counters;
    private final DecisionCounts decisions;
    private final TenantLog log;
    private final WeComApi wecom;
    private final Ids ids;
    private final java.time.Duration lookback;
    /** Today's slot claims this instance won, by key, with the token each was won with (see {@link #claim}). */
    private final Map<LocalDate, Map<String, String>> taken = new java.util.HashMap<>();

    /**
     * @param claims          the dedup claims ({@link CustomerStore#claim}); no customer is read
     * @param gate            the tenant's gate (its guardrails and zone)
     */
    public GroupSop(ScrmConfig config, GroupStore groups, CustomerStore claims, OutreachGate gate,
                    OutreachCounters counters, DecisionCounts decisions, TenantLog log, WeComApi wecom, Ids ids) {
        this(config, groups, claims, gate, counters, decisions, log, wecom, ids, WHOLE_DAY);
    }

    /** @param lookback see {@link #SCHEDULED_LOOKBACK} */
    public GroupSop(ScrmConfig config, GroupStore groups, CustomerStore claims, OutreachGate gate,
                    OutreachCounters counters, DecisionCounts decisions, TenantLog log, WeComApi wecom, Ids ids,
                    java.time.Duration lookback) {
        this.lookback = lookback;
        this.config = config;
        this.groups = groups;
        this.claims = claims;
        this.gate = gate;
        this.counters = counters;
        this.decisions = decisions;
        this.log = log;
        this.wecom = wecom;
        this.ids = ids;
    }

    /**
     * What one run did.
     *
     * @param groupsWithSlots groups that had at least one slot due today by now
     * @param drafted         drafts created for the owners to confirm
     * @param pending         slots deferred to later today, still waiting
     * @param dropped         slots the gate dropped (content mix, review...)
     * @param skippedPastDay  slots whose deferral would have moved them to another day
     * @param alreadyDone     slots an earlier run already drafted, dropped or skipped
     * @param failed          drafts WeCom refused; they are tried again next run
     * @param problems        groups the calendar could not serve, and why
     */
    public record Summary(LocalDate day, int groups, int groupsWithSlots, int drafted, int pending, int dropped,
                          int skippedPastDay, int alreadyDone, int failed, List<String> problems) {
        public Summary {
            problems = List.copyOf(problems);
        }
    }

    /**
     * The engine hands this job its batched decision counts, written once after the run by the job
     * runner (a failed write of those statistics neither fails the run nor loses them).
     */
    public Summary run(Instant now) {
        return run(now, decisions);
    }

    private Summary run(Instant now, DecisionCounts decisions) {
        ZoneId zone = config.timezone();
        LocalDate day = now.atZone(zone).toLocalDate();
        Tally t = new Tally();
        if (!anySlotRecent(day, now)) {
            // Most 15-minute runs fall between calendar slots: they read nothing.
            return new Summary(day, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        }
        List<GroupStore.Group> all = new ArrayList<>(groups.groups(config.tenant()));
        all.sort(Comparator.comparing(GroupStore.Group::chatId));
        for (GroupStore.Group group : all) {
            t.groups++;
            if (group.memberCount() <= 0) {
                // An empty group has no audience yet; its calendar starts with its first member.
                continue;
            }
            Optional<SopCalendar.Template> template = templateOf(group, t);
            if (template.isEmpty()) {
                continue;
            }
            List<Post> due = due(template.get(), group, day, now);
            if (due.isEmpty()) {
                continue;
            }
            t.groupsWithSlots++;
            if (group.owner() == null || group.owner().isBlank()) {
                t.problems.add("group " + group.chatId() + " has no owner to confirm its drafts");
                continue;
            }
            // One read of the group's records; a draft adds its own record to them here.
            Window window = new Window(group, counters.latestTouches(config.tenant(), GROUP_PREFIX + group.chatId(),
                    config.guardrails().contentMixWindow()));
            for (Post post : due) {
                post(group, window, post, day, now, t, decisions);
            }
        }
        return new Summary(day, t.groups, t.groupsWithSlots, t.drafted, t.pending, t.dropped, t.skipped,
                t.alreadyDone, t.failed, new ArrayList<>(t.problems));
    }

    private Optional<SopCalendar.Template> templateOf(GroupStore.Group group, Tally t) {
        if (group.groupType() == null) {
            return Optional.empty();
        }
        Optional<GroupType> type = config.groupType(group.groupType());
        if (type.isEmpty()) {
            t.problems.add("group type \"" + group.groupType() + "\" of group " + group.chatId()
                    + " is not in group_config");
            return Optional.empty();
        }
        String name = type.get().sopTemplate();
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        SopCalendar.Template template = config.sopCalendar().templates().get(name);
        if (template == null) {
            t.problems.add("sop_template \"" + name + "\" of group type \"" + type.get().name()
                    + "\" is not in sop_calendar");
        }
        return Optional.ofNullable(template);
    }

    /** Puts one calendar entry to the gate and acts on the answer; true when a draft was created. */
    private boolean post(GroupStore.Group group, Window window, Post post, LocalDate day, Instant now, Tally t,
                         DecisionCounts decisions) {
        String tenant = config.tenant();
        CustomerState state = window.state(now);
        Touch touch = Touch.groupMessage(state.customerId(), group.chatId(), post.content());
        DedupKey done = new DedupKey("sop|" + group.chatId() + "|" + day + "|" + post.slot());

        // When the slot may go out: asked at its own time, the gate names the deferral its time would get
        // (quiet hours are the only thing that holds a group message back by time).
        Decision atSlot = gate.decide(state, touch, post.at());
        Instant dueAt = atSlot.kind() == Decision.Kind.DEFER ? atSlot.until() : post.at();
        boolean pastItsDay = !dueAt.atZone(config.timezone()).toLocalDate().equals(day);
        if (!pastItsDay && dueAt.isAfter(now)) {
            t.pending++;
            if (claim(new DedupKey("sop-deferred|" + group.chatId() + "|" + day + "|" + post.slot()), day, now)) {
                record(group, post, day, "sop_slot_deferred", atSlot, Map.of(), now, decisions);
            }
            return false;
        }
        Decision d = pastItsDay ? atSlot : gate.decide(state, touch, now);
        switch (d.kind()) {
            case ALLOW:
                if (!claim(done, day, now)) {
                    t.alreadyDone++;
                    return false;
                }
                return draft(group, window, post, day, d, done, now, t, decisions);
            case DEFER:
                if (d.until().atZone(config.timezone()).toLocalDate().equals(day)) {
                    // Due, but the run came outside business hours: either drafted earlier or it goes
                    // at the next opening today. Either way nothing to do or say now.
                    t.pending++;
                    return false;
                }
                if (!claim(done, day, now)) {
                    t.alreadyDone++;
                    return false;
                }
                t.skipped++;
                record(group, post, day, "sop_slot_skipped", d, Map.of("why",
                        "deferred to " + d.until() + ", past the slot's day; the next day has its own slot"), now,
                        decisions);
                return false;
            default:
                // DROP (a group message never needs a human: the draft is the owner's to confirm anyway)
                if (!claim(done, day, now)) {
                    t.alreadyDone++;
                    return false;
                }
                t.dropped++;
                record(group, post, day, "sop_slot_dropped", d, Map.of(), now, decisions);
                return false;
        }
    }

    /**
     * The slot's claim. A key this instance won stays won (the claim holds the date and outlives the day;
     * only a failed draft gives it back, and then forgets it), so this instance's later runs of the same
     * day skip the conditional write that would only be refused.
     */
    private boolean claim(DedupKey key, LocalDate day, Instant now) {
        synchronized (taken) {
            taken.keySet().removeIf(d -> !d.equals(day));
            if (taken.getOrDefault(day, Map.of()).containsKey(key.value())) {
                return false;
            }
        }
        // A token of this claim alone: the store's retried write that took effect finds it and counts as won.
        String token = CustomerStore.newToken();
        boolean won = claims.claim(config.tenant(), key, token, now, DEDUP_TTL);
        if (won) {
            // Only a claim this instance won: one another instance holds may be given back if its draft fails.
            synchronized (taken) {
                taken.computeIfAbsent(day, d -> new java.util.HashMap<>()).put(key.value(), token);
            }
        }
        return won;
    }

    private void released(DedupKey key, LocalDate day) {
        String token;
        synchronized (taken) {
            token = taken.getOrDefault(day, new java.util.HashMap<>()).remove(key.value());
        }
        if (token != null) {
            claims.release(config.tenant(), key, token);
        }
    }

    private boolean draft(GroupStore.Group group, Window window, Post post, LocalDate day, Decision allowed,
                          DedupKey done, Instant now, Tally t, DecisionCounts decisions) {
        Attachment card = post.miniProgramPage() != null
                ? new Attachment("miniprogram", post.segment(), post.miniProgramPage(), post.picture()) : null;
        String msgId;
        MsgTemplate template = MsgTemplate.group(group.owner(), List.of(group.chatId()), post.text(), card);
        try {
            msgId = wecom.touching("group-sop#" + group.chatId() + "#" + day + "#" + post.slot())
                    .addMsgTemplate(template);
        } catch (WeComApiException e) {
            // Given back only when WeCom said no: on an unknown outcome (-1, a time-out) it may be drafted, and
            // at most once beats twice in a customer group.
            if (e.refused()) {
                released(done, day);
            }
            t.failed++;
            log.append(config.tenant(), "GROUP#" + group.chatId(), event(group, post, day, "sop_draft_failed",
                    Map.of("errcode", Integer.toString(e.errcode())), now));
            return false;
        }
        window.posted(post, now);
        t.drafted++;
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("msgid", msgId == null ? "" : msgId);
        extra.put("mini_program", Boolean.toString(card != null));
        record(group, post, day, "sop_draft_created", allowed, extra, now, decisions);
        return true;
    }

    /**
     * The group's own window: its pseudo-customer's touch records, read once per run. A post is recorded
     * there as a PRIVATE_MESSAGE: OutreachCounters keeps GROUP_MESSAGE out of every customer's mix (a
     * member's window is what reached them 1-on-1), so recorded as a group message the pseudo-customer's
     * window would stay empty and the 30% rule could never hold a group back. For the pseudo-customer the
     * post is its own direct touch: recorded as one (a channel that bumps no cap, only the mix) it lands
     * in the window the gate reads for the group. Keyed by day and slot, so a post recorded twice counts once.
     */
    private final class Window {
        private final GroupStore.Group group;
        private final String audience;
        private final List<TouchRecord> records;

        Window(GroupStore.Group group, List<TouchRecord> records) {
            this.group = group;
            this.audience = GROUP_PREFIX + group.chatId();
            this.records = new ArrayList<>(records);
        }

        OutreachCounters.Reading reading(Instant now) {
            return TouchLog.reading(records, now, config.timezone(), config.guardrails().contentMixWindow());
        }

        CustomerState state(Instant now) {
            OutreachCounters.Reading reading = reading(now);
            Instant joined = group.createdAt() == null ? Instant.EPOCH : group.createdAt();
            return CustomerState.of(audience)
                    .withConsent(Consent.grantedAt(joined))
                    .withCounters(reading.counters())
                    .withGroupMix(group.chatId(), reading.mix());
        }

        void posted(Post post, Instant now) {
            TouchRecord r = TouchRecord.of(audience, "sop#" + now.atZone(config.timezone()).toLocalDate() + "#"
                    + post.slot(), now, Channel.PRIVATE_MESSAGE, post.content(), false, reading(now));
            counters.record(config.tenant(), r, config.timezone());
            records.add(r);
        }
    }

    private void record(GroupStore.Group group, Post post, LocalDate day, String kind, Decision d,
                        Map<String, String> extra, Instant now, DecisionCounts decisions) {
        decisions.count(config.tenant(), now.atZone(config.timezone()).toLocalDate(), d);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("decision", d.kind().name());
        if (d.rule() != null) {
            details.put("rule", d.rule().name());
        }
        if (d.until() != null) {
            details.put("until", d.until().toString());
        }
        details.put("reason", d.reason());
        details.putAll(extra);
        log.append(config.tenant(), "GROUP#" + group.chatId(), event(group, post, day, kind, details, now));
    }

    private TimelineEvent event(GroupStore.Group group, Post post, LocalDate day, String kind,
                                Map<String, String> extra, Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("chat_id", group.chatId());
        details.put("group_type", group.groupType());
        details.put("date", day.toString());
        details.put("slot", post.slot());
        details.put("segment", post.segment());
        details.put("content", post.content().name().toLowerCase());
        details.putAll(extra);
        return new TimelineEvent(ids.next("ev", now), now, kind, group.owner(), details);
    }

    /** Whether any template has a slot or weekly event today whose time has come within the lookback. */
    private boolean anySlotRecent(LocalDate day, Instant now) {
        for (SopCalendar.Template template : config.sopCalendar().templates().values()) {
            for (SopCalendar.Slot s : template.daily()) {
                if (recent(at(day, s.at()), now)) {
                    return true;
                }
            }
            for (SopCalendar.WeeklyEvent e : template.weekly()) {
                if (e.day() == day.getDayOfWeek() && recent(at(day, e.at()), now)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Today's daily slots and weekly events for this group whose time has come, in time order. */
    private List<Post> due(SopCalendar.Template template, GroupStore.Group group, LocalDate day, Instant now) {
        List<Post> due = new ArrayList<>();
        for (SopCalendar.Slot s : template.daily()) {
            Instant at = at(day, s.at());
            if (recent(at, now)) {
                due.add(new Post(s.at() + "/" + s.segment(), s.segment(), at, s.text(), s.content(),
                        s.miniProgram() ? template.miniProgramPage() : null, template.miniProgramPicture()));
            }
        }
        for (SopCalendar.WeeklyEvent e : template.weekly()) {
            boolean forThisGroup = e.groupTypes().isEmpty() || e.groupTypes().contains(group.groupType());
            Instant at = at(day, e.at());
            if (e.day() == day.getDayOfWeek() && forThisGroup && recent(at, now)) {
                due.add(new Post("weekly/" + e.at() + "/" + e.event(), e.event(), at, e.text(), e.content(), null,
                        null));
            }
        }
        due.sort(Comparator.comparing(Post::at).thenComparing(Post::slot));
        return due;
    }

    /**
     * A slot is looked at only within the lookback of its time, or of the business-hours opening it is
     * deferred to.
     */
    private boolean recent(Instant at, Instant now) {
        if (at.isAfter(now)) {
            return false;
        }
        Instant opens = config.guardrails().businessHours().openAtOrAfter(at, config.timezone());
        Instant since = now.minus(lookback);
        return at.isAfter(since) || (!opens.isAfter(now) && opens.isAfter(since));
    }

    /** ZonedDateTime.of moves a time inside a DST gap forward, so a slot is never lost to a clock change. */
    private Instant at(LocalDate day, LocalTime time) {
        return ZonedDateTime.of(day, time, config.timezone()).toInstant();
    }

    /** One calendar entry on one day; slot names it within the day, e.g. "08:30/Morning greeting". */
    /**
     * @param miniProgramPage the page its card opens; null: no card
     * @param picture         the card's cover picture file; null: the placeholder
     */
    private record Post(String slot, String segment, Instant at, String text, ContentClass content,
                        String miniProgramPage, String picture) { }

    private static final class Tally {
        int groups;
        int groupsWithSlots;
        int drafted;
        int pending;
        int dropped;
        int skipped;
        int alreadyDone;
        int failed;
        final TreeSet<String> problems = new TreeSet<>();
    }
}
