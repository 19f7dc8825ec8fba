package dev.siyu.core.outreach;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.Consent;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.CustomerState;
import dev.siyu.core.gate.CustomerStates;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.gate.Rule;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.port.DecisionCounts;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchLog;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the outreach gate about one touch to one customer, the way every sender must:
 * reads the customer's counters, decides, counts the decision, and hands back the timeline event that
 * records it. A sender that then makes the touch calls {@link #sent} so the caps and the mix see it.
 *
 * <p>One timeline event per decision: for ALLOW it is the touch itself (the caller names its kind,
 * e.g. message_sent), otherwise outreach_deferred, outreach_dropped or, for a key 1-on-1 step,
 * staff_task_created.
 */
public final class Outreach {
    public static final String DEFERRED = "outreach_deferred";
    public static final String DROPPED = "outreach_dropped";
    public static final String TO_HUMAN = "staff_task_created";
    /**
     * A group's own 70/30 window is kept in the CAP# counters under this prefix and the chat id, as if the
     * group were a customer: {@link OutreachCounters#record} has no group form yet.
     */
    public static final String GROUP_AUDIENCE_PREFIX = "group:";

    private final OutreachGate gate;
    private final Guardrails guardrails;
    private final OutreachCounters counters;
    private final DecisionCounts decisions;
    private final ZoneId tenantZone;
    private final Ids ids;

    public Outreach(OutreachGate gate, Guardrails guardrails, OutreachCounters counters, DecisionCounts decisions,
                    ZoneId tenantZone, Ids ids) {
        this.gate = gate;
        this.guardrails = guardrails;
        this.counters = counters;
        this.decisions = decisions;
        this.tenantZone = tenantZone;
        this.ids = ids;
    }

    /** The gate's input for this customer now: consent and groups from the profile, counts from the CAP# items. */
    public CustomerState state(CustomerProfile p, Instant now) {
        return state(p, counters.read(p.tenant(), p.customerId(), now, tenantZone, guardrails.contentMixWindow()));
    }

    private CustomerState state(CustomerProfile p, OutreachCounters.Reading reading) {
        Activity a = p.activity();
        CustomerState state = CustomerStates.from(p, new Consent(a.consentGrantedAt(), a.consentWithdrawnAt()),
                reading.counters(), reading.mix());
        for (String left : a.leftGroups()) {
            state = state.withLeftGroup(left);
        }
        return state;
    }

    /**
     * Decides a 1-on-1 touch that becomes a staff desk task ({@link OutreachGate#decideForDesk}) with the
     * customer's touch records already read, and counts the decision; ALLOW's event is of kind sentKind.
     */
    public Asked askForDesk(CustomerProfile p, List<TouchRecord> known, Touch touch, Instant now, String sentKind,
                            Map<String, String> details) {
        OutreachCounters.Reading reading = TouchLog.reading(known, now, tenantZone, guardrails.contentMixWindow());
        Decision d = gate.decideForDesk(state(p, reading), touch, now);
        return asked(p, reading, null, touch, d, now, sentKind, details);
    }

    /** The red lines that hold for this touch now (see {@link OutreachGate#redLines}); not counted as a decision. */
    public java.util.Optional<Decision> redLines(CustomerProfile p, Touch touch, Instant now) {
        return gate.redLines(state(p, now), touch);
    }

    /** Decides and counts; the caller appends {@link Asked#event} to the timeline with its own writes. */
    public Asked ask(CustomerProfile p, Touch touch, Instant now, String sentKind, Map<String, String> details) {
        return ask(p, counters.read(p.tenant(), p.customerId(), now, tenantZone, guardrails.contentMixWindow()), touch,
                now, sentKind, details);
    }

    /**
     * The same with the customer's touch records already read (a journey step reads them with the rest of
     * the customer's state): only a group message reads more, the group's own records.
     */
    public Asked ask(CustomerProfile p, List<TouchRecord> known, Touch touch, Instant now, String sentKind,
                     Map<String, String> details) {
        return ask(p, TouchLog.reading(known, now, tenantZone, guardrails.contentMixWindow()), touch, now, sentKind,
                details);
    }

    private Asked ask(CustomerProfile p, OutreachCounters.Reading reading, Touch touch, Instant now, String sentKind,
                      Map<String, String> details) {
        CustomerState state = state(p, reading);
        OutreachCounters.Reading group = null;
        if (touch.channel() == Channel.GROUP_MESSAGE) {
            group = groupReading(p.tenant(), touch.groupId(), now);
            state = state.withGroupMix(touch.groupId(), group.mix());
        }
        Decision d = gate.decide(state, touch, now);
        if (d.kind() == Decision.Kind.CONVERT_TO_HUMAN) {
            d = duringBusinessHours(d, state, touch, now);
        }
        return asked(p, reading, group, touch, d, now, sentKind, details);
    }

    private Asked asked(CustomerProfile p, OutreachCounters.Reading reading, OutreachCounters.Reading group,
                        Touch touch, Decision d, Instant now, String sentKind, Map<String, String> details) {
        decisions.count(p.tenant(), now.atZone(tenantZone).toLocalDate(), d);
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("channel", touch.channel().name().toLowerCase());
        all.put("content", touch.content().name().toLowerCase());
        String kind;
        switch (d.kind()) {
            case ALLOW:
                kind = sentKind;
                break;
            case DEFER:
                kind = DEFERRED;
                all.put("rule", d.rule().name());
                all.put("until", d.until().toString());
                all.put("reason", d.reason());
                break;
            case DROP:
                kind = DROPPED;
                all.put("rule", d.rule().name());
                all.put("reason", d.reason());
                break;
            default:
                kind = TO_HUMAN;
                all.put("rule", d.rule().name());
                break;
        }
        TimelineEvent event = new TimelineEvent(ids.next("ev", now), now, kind, touch.staffUserId(), all);
        return new Asked(d, event, reading, group);
    }

    /**
     * The gate hands a key step to a person without looking at the clock; the draft it becomes is still
     * a message in the customer's chat the moment the staff member confirms it, so it is created in
     * business hours only, like any other touch.
     */
    private Decision duringBusinessHours(Decision toHuman, CustomerState state, Touch touch, Instant now) {
        ZoneId zone = state.knownZone().orElse(tenantZone);
        if (guardrails.businessHours().isOpen(now, zone)) {
            return toHuman;
        }
        return Decision.defer(gate.opening(touch, now, zone), Rule.QUIET_HOURS,
                "a staff task and its draft wait for business hours (" + guardrails.businessHours() + ")");
    }

    /**
     * WeCom refused a touch the gate allowed with its own monthly limit (errcode 41048): the touch waits
     * for the first business-hours opening of next month, recorded and counted like any deferral.
     */
    public Asked platformRefused(CustomerProfile p, Touch touch, Instant now, Map<String, String> details) {
        Instant until = gate.opening(touch, CapPeriod.MONTH.nextStart(now, tenantZone), tenantZone);
        Decision d = Decision.defer(until, Rule.PLATFORM_CAP,
                "WeCom refused it with its own monthly limit (errcode 41048); it goes out next month");
        decisions.count(p.tenant(), now.atZone(tenantZone).toLocalDate(), d);
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("channel", touch.channel().name().toLowerCase());
        all.put("content", touch.content().name().toLowerCase());
        all.put("rule", d.rule().name());
        all.put("until", until.toString());
        all.put("reason", d.reason());
        return new Asked(d, new TimelineEvent(ids.next("ev", now), now, DEFERRED, touch.staffUserId(), all));
    }

    /**
     * The event of a touch an earlier delivery sent (its outcome learnt from WeCom): the touch itself, not
     * decided or counted again.
     */
    public TimelineEvent alreadySent(Touch touch, Instant now, String sentKind, Map<String, String> details,
                                     String wecomId) {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("channel", touch.channel().name().toLowerCase());
        all.put("content", touch.content().name().toLowerCase());
        all.put("reconciled", wecomId);
        return new TimelineEvent(ids.next("ev", now), now, sentKind, touch.staffUserId(), all);
    }

    /** The audience's touch records as stored now (a sender refused a slot reads them again). */
    public List<TouchRecord> touches(String tenant, String audience) {
        return counters.touches(tenant, audience);
    }

    /** Reserves the intent's slot (see {@link OutreachCounters#reserve}); false when another sender took it. */
    public boolean reserve(String tenant, TouchRecord intent) {
        return counters.reserve(tenant, intent, tenantZone);
    }

    /** Writes a record as it is now (e.g. an intent cancelled after WeCom refused the send). */
    public void record(String tenant, TouchRecord record) {
        counters.record(tenant, record, tenantZone);
    }

    /** Counts a touch that went out against the caps and the content mix (a group post: the group's). */
    public void sent(String tenant, Touch touch, Instant now) {
        counters.record(tenant, touch.customerId(), touchRecordId(now), touch.channel(), touch.content(),
                touch.journey(), now, tenantZone);
        if (touch.channel() == Channel.GROUP_MESSAGE) {
            postedToGroup(tenant, touch.groupId(), touch.content(), now);
        }
    }

    /**
     * The records a touch the gate allowed (asked) leaves once it went out, for the caller to write with
     * its other writes: the customer's, and for a group post the group's. {@code id} names the touch (a
     * journey step: journey, run and step), so writing them again changes nothing.
     */
    public List<TouchRecord> records(Asked asked, Touch touch, Instant now, String id) {
        List<TouchRecord> records = new ArrayList<>(2);
        if (touch.channel().reachesCustomer()) {
            records.add(TouchRecord.of(touch.customerId(), id, now, touch.channel(), touch.content(), touch.journey(),
                    asked.reading()));
        }
        if (touch.channel() == Channel.GROUP_MESSAGE) {
            // PRIVATE_MESSAGE: it bumps no cap, it only enters the group's own window (see postedToGroup).
            records.add(TouchRecord.of(GROUP_AUDIENCE_PREFIX + touch.groupId(), id, now, Channel.PRIVATE_MESSAGE,
                    touch.content(), false, asked.group()));
        }
        return records;
    }

    /** The group's latest posts, for the gate's group window. */
    public ContentMix groupMix(String tenant, String chatId, Instant now) {
        return groupReading(tenant, chatId, now).mix();
    }

    private OutreachCounters.Reading groupReading(String tenant, String chatId, Instant now) {
        return counters.readMix(tenant, GROUP_AUDIENCE_PREFIX + chatId, now, tenantZone, guardrails.contentMixWindow());
    }

    /** Adds a post to the group's window (PRIVATE_MESSAGE: it bumps no cap, it only enters that id's mix). */
    public void postedToGroup(String tenant, String chatId, ContentClass content, Instant now) {
        counters.record(tenant, GROUP_AUDIENCE_PREFIX + chatId, touchRecordId(now), Channel.PRIVATE_MESSAGE, content,
                false, now, tenantZone);
    }

    /** A new touch record's id in the stores' shape (millis first, so records sort by time). */
    private String touchRecordId(Instant now) {
        return now.toEpochMilli() + "-" + ids.next("", now);
    }

    /**
     * @param reading the customer's counts and mix the decision saw (null when it read none)
     * @param group   the group's, for a group message (else null)
     */
    public record Asked(Decision decision, TimelineEvent event, OutreachCounters.Reading reading,
                        OutreachCounters.Reading group) {
        public Asked(Decision decision, TimelineEvent event) {
            this(decision, event, null, null);
        }
    }
}
