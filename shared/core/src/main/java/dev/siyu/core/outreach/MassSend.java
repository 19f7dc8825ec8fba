package dev.siyu.core.outreach;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.callback.Repairs;
import dev.siyu.core.event.DedupKey;
import java.time.Duration;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An operator's mass message (customer 群发): every customer is asked about at the gate one by one (the
 * monthly cap, consent, relationships, quiet hours), then one add_msg_template per staff member carries
 * the customers it allowed, for that staff member to confirm.
 *
 * <p>Resumable, so that a failed run sent again (the console's retry, the scheduler's) continues instead of
 * starting over: each customer's touch record for the campaign ({@code mass#<campaign>}) says how far they got.
 * SENT: done, not asked again. SENDING (an intent whose WeCom answer was lost): looked up in WeCom with its
 * sender's other intents and sent only if WeCom has no such task, never resent blindly. None, or CANCELLED:
 * asked again. A customer's or a sender's failure does not stop the others; the run fails at its end so that
 * the retry picks up what was left.
 *
 * <p>The campaign is noted on the tenant's repairs ({@code mass_send}) before its first intent is written and
 * the note removed once a run ends with nothing left: when every retry failed, the reconciler {@link #finish}es
 * it, settling the intents left (it asks no new customer).
 */
public final class MassSend {
    private static final String SENT_KIND = "mass_message_sent";
    /** A customer whose read failed is read again this often after the others, before the run gives up on them. */
    private static final int READ_ROUNDS = 2;
    /**
     * How long a run of a campaign holds it (the scheduler function's 300 s): its runs, the operator's retries and the
     * reconciler's finish never look up and resend the same intents side by side.
     */
    public static final Duration LEASE = Duration.ofSeconds(300);

    /** The campaign's lease, a claim like a callback's (CustomerStore.claimLease). */
    public static DedupKey lease(String campaign) {
        return new DedupKey("mass#" + campaign);
    }

    /** The mass_send note's details: what the reconciler needs to finish the campaign. */
    public static final String NOTE_TEXT = "text";
    public static final String NOTE_CONTENT = "content";

    private final Outreach outreach;
    private final CustomerSnapshots writes;
    private final ProfileScan profiles;
    private final WeComApi wecom;
    private final SendReconciler reconciler;
    private final TenantLog log;
    private final ZoneId zone;

    /**
     * @param writes where each customer's decision event and touch record go: all customers' together, in
     *               as few writes as the store allows
     * @param zone   the tenant's zone (the touch records' periods)
     */
    public MassSend(Outreach outreach, CustomerSnapshots writes, ProfileScan profiles, WeComApi wecom, TenantLog log,
                    ZoneId zone) {
        this.outreach = outreach;
        this.log = log;
        this.writes = writes;
        this.profiles = profiles;
        this.wecom = wecom;
        this.reconciler = new SendReconciler(wecom);
        this.zone = zone;
    }

    /**
     * @param left    customers whose touch could not be settled by this run (a read or a send failed)
     * @param failure the first failure, when left is not 0
     */
    public record Result(int asked, int sent, int senders, int left, RuntimeException failure) { }

    /** One customer of a sender's task: the touch, its record (an intent until settled), the event once sent. */
    /** @param reachable whether the customer may still be reached through the task's sender (read this run) */
    private record Recipient(String customerId, String externalUserId, Touch touch, TouchRecord intent,
                             TimelineEvent event, boolean reachable) { }

    public Result send(String tenant, String campaign, String text, ContentClass content, Instant now) {
        return send(tenant, campaign, text, content, Segment.EVERYONE, now);
    }

    /** As {@link #send(String, String, String, ContentClass, Instant)}; customers outside the segment are not asked. */
    public Result send(String tenant, String campaign, String text, ContentClass content, Segment segment,
                       Instant now) {
        TenantLog.Repair note = new TenantLog.Repair(Repairs.MASS_SEND, campaign,
                Map.of(NOTE_TEXT, text, NOTE_CONTENT, content.name()), now, 0);
        log.needsRepair(tenant, note);
        Result r = run(tenant, campaign, text, content, segment, now, true);
        if (r.left() > 0) {
            throw new IllegalStateException(r.left() + " customer(s) of campaign " + campaign
                    + " are not settled yet; the retry (or the reconciler) takes them up", r.failure());
        }
        log.repaired(tenant, note);
        return r;
    }

    /**
     * Settles what earlier runs of the campaign left (intents whose send failed or whose answer was lost), asking
     * no new customer; {@link Result#left} says how many are still unsettled.
     */
    public Result finish(String tenant, String campaign, String text, ContentClass content, Instant now) {
        return run(tenant, campaign, text, content, Segment.EVERYONE, now, false);
    }

    private Result run(String tenant, String campaign, String text, ContentClass content, Segment segment,
                       Instant now, boolean askNew) {
        String recordId = "mass#" + campaign;
        Map<String, String> details = Map.of("campaign", campaign);
        Map<String, List<Recipient>> fresh = new LinkedHashMap<>();
        Map<String, List<Recipient>> pending = new LinkedHashMap<>();
        int[] asked = {0};
        int[] failed = {0};
        RuntimeException[] first = {null};
        List<CustomerSnapshots.Writes> decided = new ArrayList<>();
        List<CustomerProfile> unread = new ArrayList<>();
        profiles.forEach(tenant, p -> {
            try {
                decide(p, recordId, details, content, now, asked, decided, fresh, pending, askNew && segment.contains(p));
            } catch (RuntimeException e) {
                // One customer's read failed: the others go on, and this one is read again after them.
                unread.add(p);
            }
        });
        for (int round = 1; round <= READ_ROUNDS && !unread.isEmpty(); round++) {
            List<CustomerProfile> again = List.copyOf(unread);
            unread.clear();
            for (CustomerProfile p : again) {
                try {
                    decide(p, recordId, details, content, now, asked, decided, fresh, pending, askNew && segment.contains(p));
                } catch (RuntimeException e) {
                    unread.add(p);
                    if (round == READ_ROUNDS) {
                        // Still unread: the retry (or the reconciler) asks this one again.
                        failed[0]++;
                        first[0] = first[0] == null ? e : first[0];
                    }
                }
            }
        }
        // Intents and refusals are on the record before anything is sent, as one write per 25 customers; if
        // that fails nothing is sent (an intent not written could not be found by the retry).
        writes.commitAll(tenant, decided, zone);
        int sent = 0;
        int left = failed[0];
        for (Map.Entry<String, List<Recipient>> e : pending.entrySet()) {
            try {
                sent += resume(tenant, campaign, e.getKey().substring(0, e.getKey().indexOf('\n')), e.getValue(), text,
                        now);
            } catch (RuntimeException refusedOrFailed) {
                left += e.getValue().size();
                first[0] = first[0] == null ? refusedOrFailed : first[0];
            }
        }
        for (Map.Entry<String, List<Recipient>> e : fresh.entrySet()) {
            // One task per sender and run, each its own delivery (a run that resumes a campaign sends its newly
            // asked customers as another one).
            String touchId = touchId(campaign, now, e.getKey());
            try {
                sent += deliver(tenant, e.getKey(), e.getValue(), text, touchId, null);
            } catch (RuntimeException refusedOrFailed) {
                left += e.getValue().size();
                first[0] = first[0] == null ? refusedOrFailed : first[0];
            }
        }
        return new Result(asked[0], sent, fresh.size() + pending.size(), left, first[0]);
    }

    /** The delivery's id: the campaign, the run's time (its intents' time) in the tenant's zone, the sender. */
    private String touchId(String campaign, Instant run, String sender) {
        return "mass#" + campaign + "#" + run.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS) + "#"
                + sender;
    }

    private void decide(CustomerProfile p, String recordId, Map<String, String> details, ContentClass content,
                        Instant now, int[] asked, List<CustomerSnapshots.Writes> decided,
                        Map<String, List<Recipient>> fresh, Map<String, List<Recipient>> pending, boolean askNew) {
        if (p.externalUserId() == null) {
            return;
        }
        List<String> active = p.activeStaff();
        // The latest friendship, as the journeys and community invites use; a customer who has since deleted every
        // staff member may still hold an earlier run's intent, looked up as the last friendship's.
        String staff = !active.isEmpty() ? active.get(active.size() - 1) : p.relationships().values().stream()
                .max(java.util.Comparator.comparing((dev.siyu.core.profile.StaffRelationship r) ->
                        r.since() == null ? Instant.EPOCH : r.since()))
                .map(dev.siyu.core.profile.StaffRelationship::staffUserId).orElse(null);
        if (staff == null) {
            return;
        }
        Touch touch = Touch.massMessage(p.customerId(), staff, content);
        List<TouchRecord> known = outreach.touches(p.tenant(), p.customerId());
        Optional<TouchRecord> earlier = known.stream()
                .filter(r -> r.id().equals(recordId) && r.holdsSlot())
                .max(Comparator.comparing(TouchRecord::at));
        if (earlier.isPresent()) {
            if (earlier.get().status() == TouchRecord.Status.SENDING) {
                // By sender and run: each earlier run's task is looked up (and named) as it was sent.
                pending.computeIfAbsent(staff + "\n" + earlier.get().at(), s -> new ArrayList<>())
                        .add(new Recipient(p.customerId(), p.externalUserId(), touch, earlier.get(), null,
                                active.contains(staff) && p.activity().consentWithdrawnAt() == null));
            }
            return;
        }
        if (!askNew || active.isEmpty()) {
            return;
        }
        asked[0]++;
        Outreach.Asked a = outreach.ask(p, known, touch, now, SENT_KIND, details);
        if (!a.decision().allowed()) {
            decided.add(new CustomerSnapshots.Writes(p.customerId(), List.of(a.event()), List.of()));
            return;
        }
        // One record per campaign and customer: a campaign sent again does not count twice. It goes out as the
        // intent (it holds the customer's slot from before the call); the send's event goes with its settling.
        // Reserved on its own, not batched: a journey's coupon or invite and community care's VIP invite count
        // against the same monthly slots (every add_msg_template does), and two senders that read the same last
        // free slot must not both take it.
        TouchRecord intent = outreach.records(a, touch, now, recordId).get(0).intent();
        if (!outreach.reserve(p.tenant(), intent)) {
            Outreach.Asked again = outreach.ask(p, outreach.touches(p.tenant(), p.customerId()), touch, now, SENT_KIND,
                    details);
            if (!again.decision().allowed()) {
                decided.add(new CustomerSnapshots.Writes(p.customerId(), List.of(again.event()), List.of()));
                return;
            }
            intent = outreach.records(again, touch, now, recordId).get(0).intent();
            if (!outreach.reserve(p.tenant(), intent)) {
                // Still racing another sender: this customer is read and asked again after the others.
                asked[0]--;
                throw new IllegalStateException("customer " + p.customerId() + "'s slot kept being taken");
            }
            a = again;
        }
        fresh.computeIfAbsent(staff, s -> new ArrayList<>())
                .add(new Recipient(p.customerId(), p.externalUserId(), touch, intent, a.event(), true));
    }

    /** A sender's intents from an earlier run: found in WeCom, they are settled; else sent now under them. */
    private int resume(String tenant, String campaign, String sender, List<Recipient> to, String text, Instant now) {
        Instant since = to.stream().map(r -> r.intent().at()).min(Comparator.naturalOrder()).orElseThrow();
        MsgTemplate template = MsgTemplate.single(sender, externalIds(to), text, null);
        SendReconciler.Lookup found = reconciler.message(template, since, now);
        if (found.kind() != SendReconciler.Lookup.Kind.ABSENT) {
            // Found, or unknown (the lookup's budget ran out): at most once, never sent again.
            settle(tenant, to, TouchRecord.Status.SENT, found.outcome(), now);
            return 0;
        }
        // WeCom never got it. A customer who has since deleted the sender or withdrawn consent is not sent it now
        // (the red lines hold at the send, not only at the decision): their intent is cancelled.
        List<Recipient> still = to.stream().filter(Recipient::reachable).toList();
        List<Recipient> gone = to.stream().filter(r -> !r.reachable()).toList();
        if (!gone.isEmpty()) {
            settle(tenant, gone, TouchRecord.Status.CANCELLED, null, now);
        }
        if (still.isEmpty()) {
            return 0;
        }
        // Its own delivery: the earlier task never reached WeCom, and this run may resend only some of its customers
        // (another's read failed), so each resend is named by the run that makes it.
        return deliver(tenant, sender, still, text, touchId(campaign, since, sender) + "#resent-"
                + now.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS), now);
    }

    /**
     * One add_msg_template for the sender's customers, settled with its outcome: sent, or cancelled when WeCom
     * answered no; an unknown outcome leaves the intents for the retry to look up.
     *
     * @param resumedAt when the intents are an earlier run's, the time of this send (their events say so)
     */
    private int deliver(String tenant, String sender, List<Recipient> to, String text, String touchId,
                        Instant resumedAt) {
        String msgid;
        try {
            msgid = wecom.touching(touchId).addMsgTemplate(MsgTemplate.single(sender, externalIds(to), text, null));
        } catch (WeComApiException refused) {
            if (refused.errcode() > 0) {
                // WeCom answered no: nothing went out to these customers, their slots are free again.
                settle(tenant, to, TouchRecord.Status.CANCELLED, null, resumedAt);
            }
            throw refused;
        }
        settle(tenant, to, TouchRecord.Status.SENT, msgid, resumedAt);
        return to.size();
    }

    private void settle(String tenant, List<Recipient> to, TouchRecord.Status how, String msgid, Instant resumedAt) {
        List<CustomerSnapshots.Writes> out = new ArrayList<>(to.size());
        for (Recipient r : to) {
            List<TimelineEvent> events = List.of();
            if (how == TouchRecord.Status.SENT) {
                events = List.of(r.event() != null ? r.event()
                        : outreach.alreadySent(r.touch(), resumedAt, SENT_KIND,
                        Map.of("campaign", r.intent().id().substring("mass#".length())), msgid));
            }
            out.add(new CustomerSnapshots.Writes(r.customerId(), events, List.of(r.intent().settled(how, msgid))));
        }
        writes.commitAll(tenant, out, zone);
    }

    private static List<String> externalIds(List<Recipient> to) {
        return to.stream().map(Recipient::externalUserId).toList();
    }
}
