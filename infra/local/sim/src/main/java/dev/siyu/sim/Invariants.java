package dev.siyu.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The guardrail invariants of a run, computed only from what was recorded: the outbound WeCom calls,
 * the customers' timelines and the journey runs at the end, never from the gate's own counters, so a
 * gate that miscounts cannot hide its own mistake. docs/faults.md says how each is computed.
 *
 * <ul>
 *   <li>A touch is a customer-facing call WeCom accepted (errcode 0): add_msg_template to customers
 *       (one touch per recipient), add_moment_task, send_welcome_msg. message/send reaches staff,
 *       mark_tag reaches no one.</li>
 *   <li>Exempt from business hours: send_welcome_msg (the customer's own action, answered within the
 *       20 s WeCom allows).</li>
 *   <li>After delete: a touch through a staff member (sender) at or after a relationship_ended event
 *       of that customer with that staff member.</li>
 *   <li>After withdrawal: any touch to the customer at or after their consent_withdrawn event of marketing
 *       consent (promotions or not: the gate stops them all).</li>
 *   <li>max_mass_messages_per_customer_month: the most add_msg_template tasks (chat_type single) WeCom
 *       accepted for one customer (external_userid) in one calendar month of the tenant's zone, recounted
 *       from the calls: every task counts, whoever made it (a journey coupon or invite, a VIP invite, an
 *       operator's mass send), as WeCom counts them against its own limit ("创建企业群发",
 *       https://developer.work.weixin.qq.com/document/path/92135).</li>
 *   <li>Staff desk sends (the timeline's staff_message_sent: the staff member's own 1-on-1 message from
 *       the sidebar, not a WeCom call the suite makes) are touches too: after delete, after withdrawal and
 *       outside business hours count them.</li>
 *   <li>duplicate_touches: touch ids that WeCom accepted (errcode 0) more than once.</li>
 *   <li>calls_without_touch_id: calls that reach people (the touch calls and message/send, whatever
 *       WeCom answered) that carried no touch id.</li>
 *   <li>stuck_runs: runs still active at the end with no step waiting on the queue or in a timer.</li>
 *   <li>missing_activation_runs: contact_added events with no run of a journey triggered by
 *       contact_added (without a further condition) started for that customer at or after the event.</li>
 *   <li>touch_count_mismatches: customers whose one-to-one messages WeCom accepted (add_msg_template,
 *       chat_type single, one per recipient) are not as many as the sends their timeline records
 *       ({@link #SENT_KINDS}).</li>
 *   <li>cap_count_mismatches: customers whose touch records (what the caps count) are not as many as
 *       the sends their timeline records, channel by channel ({@link #CAP_PAIRS}).</li>
 *   <li>pool_load_mismatches: staff members of a routing pool whose counters (active customers, adds
 *       per day) differ from the contact_added and relationship_ended events on the timelines.</li>
 * </ul>
 */
public record Invariants(long touchesAfterDelete, long touchesAfterConsentWithdrawal, long touchesOutsideBusinessHours,
                         long maxMassMessagesPerCustomerMonth, long maxMomentsPostsPerDay, long customers,
                         long touchesTotal, long duplicateTouches, long callsWithoutTouchId, long stuckRuns,
                         long missingActivationRuns, long touchCountMismatches, long capCountMismatches,
                         long poolLoadMismatches) {
    static final Set<String> TOUCH_APIS = Set.of("externalcontact/add_msg_template", "externalcontact/add_moment_task",
            "externalcontact/send_welcome_msg");
    /** Calls that reach people, so carry the touch id of the delivery they are part of. */
    static final Set<String> PEOPLE_APIS = Set.of("externalcontact/add_msg_template", "externalcontact/add_moment_task",
            "externalcontact/send_welcome_msg", "message/send");
    /**
     * Timeline kinds that record one one-to-one message to the customer through add_msg_template: a
     * journey coupon, a group invite, an operator's mass message. Journey messages and staff tasks are desk
     * tasks (desk_task_created, staff_task_created): no WeCom call of the suite's sends them.
     */
    static final Set<String> SENT_KINDS = Set.of("coupon_issued", "group_invite_sent", "mass_message_sent");
    /** The timeline kind of a desk task the staff member sent from the sidebar. */
    static final String DESK_SENT = dev.siyu.core.desk.StaffDesk.SENT;
    /** The timeline kind of a subscription message WeChat accepted (a journey step's {@code subscription:}). */
    static final String SUBSCRIPTION_SENT = dev.siyu.core.journey.ActionPerformer.SUBSCRIPTION_SENT;
    static final String CONTACT_ADDED = "contact_added";
    static final String RELATIONSHIP_ENDED = "relationship_ended";
    /**
     * The touch records' channels and the timeline kinds that record the same sends: the caps count
     * the records, so each group of records must be as many as its events. A desk task's record holds its
     * slot from when the task is made until it expires or is dismissed unsent (then it is cancelled), so
     * those events take one away.
     */
    record CapPair(Set<String> channels, Set<String> added, Set<String> freed) { }

    static final List<CapPair> CAP_PAIRS = List.of(
            new CapPair(Set.of("COUPON", "GROUP_INVITE", "MASS_MESSAGE"),
                    Set.of("coupon_issued", "group_invite_sent", "mass_message_sent"), Set.of()),
            new CapPair(Set.of("PRIVATE_MESSAGE"), Set.of("desk_task_created", "staff_task_created"),
                    Set.of(dev.siyu.core.desk.StaffDesk.EXPIRED, dev.siyu.core.desk.StaffDesk.DISMISSED)),
            new CapPair(Set.of("MOMENTS_POST"), Set.of("moments_post_visible"), Set.of()),
            new CapPair(Set.of("GROUP_MESSAGE"), Set.of("group_message_drafted"), Set.of()),
            new CapPair(Set.of("SUBSCRIPTION_MESSAGE"), Set.of(dev.siyu.core.journey.ActionPerformer.SUBSCRIPTION_SENT),
                    Set.of()));

    /**
     * What the invariants are computed from: the record of a run.
     *
     * @param timelines          customerId -> events
     * @param externalIds        customerId -> external_userid
     * @param runs               every journey run at the end
     * @param activationJourneys the journeys a contact_added starts
     * @param touchRecords       external_userid -> the gate's touch records at the end; null: not recorded
     * @param poolLoads          the routing pools' counters at the end; null: not recorded
     * @param poolsByState       the routing pool each channel code's state counts its adds in
     */
    public record Recorded(List<CallLog.Call> calls, Map<String, List<TimelineEvent>> timelines,
                           Map<String, String> externalIds, List<RunRecord> runs, Set<String> activationJourneys,
                           Map<String, List<TouchRecord>> touchRecords, List<PoolLoadRecord> poolLoads,
                           Map<String, String> poolsByState) { }

    /** A run that kept every guardrail and lost or doubled nothing, for tests to vary. */
    public static Invariants clean(long customers, long touches, long massPerMonth, long momentsPerDay) {
        return new Invariants(0, 0, 0, massPerMonth, momentsPerDay, customers, touches, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * What broke: each invariant that does not hold against the blueprint's guardrails, in words an
     * operator reads; empty when the run kept every guardrail.
     */
    public List<String> violations(dev.siyu.core.gate.Guardrails guardrails) {
        List<String> broken = new ArrayList<>();
        if (touchesAfterDelete > 0) {
            broken.add(touchesAfterDelete + " touch(es) after the customer deleted the staff member");
        }
        if (touchesAfterConsentWithdrawal > 0) {
            broken.add(touchesAfterConsentWithdrawal + " touch(es) after the customer withdrew consent");
        }
        if (touchesOutsideBusinessHours > 0) {
            broken.add(touchesOutsideBusinessHours + " touch(es) outside business hours");
        }
        if (maxMassMessagesPerCustomerMonth > guardrails.massMessagesPerMonth()) {
            broken.add("a customer got " + maxMassMessagesPerCustomerMonth + " mass messages in a month (cap "
                    + guardrails.massMessagesPerMonth() + ")");
        }
        if (maxMomentsPostsPerDay > guardrails.momentsPostsPerDay()) {
            broken.add(maxMomentsPostsPerDay + " Moments posts in a day (cap " + guardrails.momentsPostsPerDay() + ")");
        }
        if (duplicateTouches > 0) {
            broken.add(duplicateTouches + " touch id(s) WeCom accepted more than once");
        }
        if (callsWithoutTouchId > 0) {
            broken.add(callsWithoutTouchId + " call(s) reaching people without a touch id");
        }
        if (stuckRuns > 0) {
            broken.add(stuckRuns + " journey run(s) active with no step waiting");
        }
        if (missingActivationRuns > 0) {
            broken.add(missingActivationRuns + " contact_added event(s) with no activation run");
        }
        if (touchCountMismatches > 0) {
            broken.add(touchCountMismatches + " customer(s) whose accepted messages and recorded sends differ");
        }
        if (capCountMismatches > 0) {
            broken.add(capCountMismatches + " customer(s) whose touch records (the caps' counts) and recorded sends differ");
        }
        if (poolLoadMismatches > 0) {
            broken.add(poolLoadMismatches + " staff member(s) whose pool counters and recorded adds and deletes differ");
        }
        return broken;
    }

    /**
     * @param timelines           customerId -> events
     * @param externalIds         customerId -> external_userid
     * @param runs                every journey run at the end
     * @param activationJourneys  the journeys a contact_added starts
     */
    public static Invariants compute(List<CallLog.Call> calls, Map<String, List<TimelineEvent>> timelines,
                                     Map<String, String> externalIds, List<RunRecord> runs, Set<String> activationJourneys,
                                     BusinessHours hours, ZoneId zone) {
        return compute(new Recorded(calls, timelines, externalIds, runs, activationJourneys, null, null, Map.of()), hours,
                zone);
    }

    public static Invariants compute(Recorded record, BusinessHours hours, ZoneId zone) {
        List<CallLog.Call> calls = record.calls();
        Map<String, List<TimelineEvent>> timelines = record.timelines();
        Map<String, String> externalIds = record.externalIds();
        List<RunRecord> runs = record.runs();
        Map<String, Instant> withdrawn = new HashMap<>();
        Map<String, Instant> ended = new HashMap<>();
        Map<String, Long> sendsRecorded = new HashMap<>();
        for (Map.Entry<String, List<TimelineEvent>> e : timelines.entrySet()) {
            String ext = externalIds.get(e.getKey());
            for (TimelineEvent ev : e.getValue()) {
                if ("consent_withdrawn".equals(ev.kind()) && marketing(ev)) {
                    withdrawn.merge(ext, ev.at(), (a, b) -> a.isBefore(b) ? a : b);
                } else if ("relationship_ended".equals(ev.kind()) && ev.staffUserId() != null) {
                    ended.merge(ext + "|" + ev.staffUserId(), ev.at(), (a, b) -> a.isBefore(b) ? a : b);
                }
                if (SENT_KINDS.contains(ev.kind())) {
                    sendsRecorded.merge(ext, 1L, Long::sum);
                }
            }
        }
        long afterDelete = 0;
        long afterWithdrawal = 0;
        long outside = 0;
        long total = 0;
        long withoutId = 0;
        Map<String, Long> momentsPerDay = new HashMap<>();
        Map<String, Long> acceptedPerTouchId = new HashMap<>();
        Map<String, Long> messagesAccepted = new HashMap<>();
        for (CallLog.Call call : calls) {
            if (PEOPLE_APIS.contains(call.api()) && (call.touchId() == null || call.touchId().isBlank())) {
                withoutId++;
            }
            if (!call.succeeded() || !TOUCH_APIS.contains(call.api())) {
                continue;
            }
            if (call.touchId() != null && !call.touchId().isBlank()) {
                acceptedPerTouchId.merge(call.touchId(), 1L, Long::sum);
            }
            List<String> recipients = recipients(call.body());
            boolean template = call.api().equals("externalcontact/add_msg_template");
            long touches = template ? Math.max(1, recipients.size()) : 1;
            total += touches;
            if (template) {
                recipients.forEach(ext -> messagesAccepted.merge(ext, 1L, Long::sum));
            }
            if (call.api().equals("externalcontact/add_moment_task")) {
                momentsPerDay.merge(call.at().atZone(zone).toLocalDate().toString(), 1L, Long::sum);
            }
            if (!call.api().equals("externalcontact/send_welcome_msg") && !hours.isOpen(call.at().atZone(zone).toLocalTime())) {
                outside += touches;
            }
            String sender = call.body().path("sender").asText(null);
            for (String ext : recipients) {
                Instant w = withdrawn.get(ext);
                if (w != null && !call.at().isBefore(w)) {
                    afterWithdrawal++;
                }
                Instant d = sender == null ? null : ended.get(ext + "|" + sender);
                if (d != null && !call.at().isBefore(d)) {
                    afterDelete++;
                }
            }
        }
        for (Map.Entry<String, List<TimelineEvent>> e : timelines.entrySet()) {
            String ext = externalIds.get(e.getKey());
            for (TimelineEvent ev : e.getValue()) {
                // A staff member's desk send and a journey's Mini Program subscription message reach the customer
                // without a WeCom call the suite makes: their timeline events are the record.
                if (!DESK_SENT.equals(ev.kind()) && !SUBSCRIPTION_SENT.equals(ev.kind())) {
                    continue;
                }
                total++;
                if (!hours.isOpen(ev.at().atZone(zone).toLocalTime())) {
                    outside++;
                }
                Instant w = withdrawn.get(ext);
                if (w != null && !ev.at().isBefore(w)) {
                    afterWithdrawal++;
                }
                Instant d = ev.staffUserId() == null ? null : ended.get(ext + "|" + ev.staffUserId());
                if (d != null && !ev.at().isBefore(d)) {
                    afterDelete++;
                }
            }
        }
        Map<String, Long> massPerMonth = massMessagesPerCustomerMonth(calls, zone);
        long duplicates = acceptedPerTouchId.values().stream().filter(n -> n > 1).count();
        java.util.Set<String> customersWithSends = new java.util.HashSet<>(messagesAccepted.keySet());
        customersWithSends.addAll(sendsRecorded.keySet());
        long mismatches = customersWithSends.stream()
                .filter(ext -> !messagesAccepted.getOrDefault(ext, 0L).equals(sendsRecorded.getOrDefault(ext, 0L))).count();
        long stuck = runs.stream().filter(r -> r.active() && RunRecord.NONE.equals(r.pending())).count();
        long missingActivation = missingActivationRuns(timelines, runs, record.activationJourneys());
        return new Invariants(afterDelete, afterWithdrawal, outside,
                massPerMonth.values().stream().mapToLong(Long::longValue).max().orElse(0),
                momentsPerDay.values().stream().mapToLong(Long::longValue).max().orElse(0),
                timelines.size(), total, duplicates, withoutId, stuck, missingActivation, mismatches,
                record.touchRecords() == null ? 0 : capCountMismatches(timelines, externalIds, record.touchRecords()),
                record.poolLoads() == null ? 0 : poolLoadMismatches(timelines, record.poolLoads(), record.poolsByState(), zone));
    }

    /**
     * Customer mass messages per customer and calendar month, recounted from the calls WeCom accepted: one per
     * recipient of each add_msg_template task to customers (chat_type single). Keyed {@code external_userid|yyyy-MM}.
     */
    public static Map<String, Long> massMessagesPerCustomerMonth(List<CallLog.Call> calls, ZoneId zone) {
        Map<String, Long> out = new HashMap<>();
        for (CallLog.Call call : calls) {
            if (call.succeeded() && call.api().equals("externalcontact/add_msg_template")) {
                String month = java.time.YearMonth.from(call.at().atZone(zone)).toString();
                recipients(call.body()).forEach(ext -> out.merge(ext + "|" + month, 1L, Long::sum));
            }
        }
        return out;
    }

    /**
     * How many customer-months used 0, 1, 2... customer mass messages: every customer with a timeline, in every
     * calendar month from their first event's to the record's last, the months they got none included.
     */
    public static Map<Long, Long> massMessageBudgetUsed(Recorded record, ZoneId zone, Instant end) {
        Map<String, Long> used = massMessagesPerCustomerMonth(record.calls(), zone);
        java.time.YearMonth last = java.time.YearMonth.from(end.atZone(zone));
        Map<Long, Long> histogram = new java.util.TreeMap<>();
        for (Map.Entry<String, List<TimelineEvent>> e : record.timelines().entrySet()) {
            Instant first = e.getValue().stream().map(TimelineEvent::at).min(Instant::compareTo).orElse(null);
            String ext = record.externalIds().get(e.getKey());
            if (first == null || ext == null) {
                continue;
            }
            for (java.time.YearMonth m = java.time.YearMonth.from(first.atZone(zone)); !m.isAfter(last); m = m.plusMonths(1)) {
                histogram.merge(used.getOrDefault(ext + "|" + m, 0L), 1L, Long::sum);
            }
        }
        return histogram;
    }

    private static long capCountMismatches(Map<String, List<TimelineEvent>> timelines, Map<String, String> externalIds,
                                           Map<String, List<TouchRecord>> touchRecords) {
        Map<String, Map<String, Long>> kinds = new HashMap<>();
        for (Map.Entry<String, List<TimelineEvent>> e : timelines.entrySet()) {
            Map<String, Long> mine = kinds.computeIfAbsent(externalIds.get(e.getKey()), k -> new HashMap<>());
            e.getValue().forEach(ev -> mine.merge(ev.kind(), 1L, Long::sum));
        }
        java.util.Set<String> customers = new java.util.HashSet<>(kinds.keySet());
        customers.addAll(touchRecords.keySet());
        long mismatches = 0;
        for (String ext : customers) {
            Map<String, Long> events = kinds.getOrDefault(ext, Map.of());
            List<TouchRecord> records = touchRecords.getOrDefault(ext, List.of());
            for (CapPair pair : CAP_PAIRS) {
                long counted = records.stream().filter(t -> pair.channels().contains(t.channel().name())).count();
                long recorded = pair.added().stream().mapToLong(k -> events.getOrDefault(k, 0L)).sum()
                        - pair.freed().stream().mapToLong(k -> events.getOrDefault(k, 0L)).sum();
                if (counted != recorded) {
                    mismatches++;
                    break;
                }
            }
        }
        return mismatches;
    }

    /**
     * Replays the adds and deletes on the timelines into what each pool's counters should say: an add
     * through a channel code counts for its staff member in the code's pool, on that day and as active;
     * the end of that relationship takes one active customer away.
     */
    private static long poolLoadMismatches(Map<String, List<TimelineEvent>> timelines, List<PoolLoadRecord> loads,
                                           Map<String, String> poolsByState, ZoneId zone) {
        Map<String, Long> active = new HashMap<>();
        Map<String, Map<java.time.LocalDate, Long>> adds = new HashMap<>();
        for (List<TimelineEvent> events : timelines.values()) {
            Map<String, String> open = new HashMap<>();
            List<TimelineEvent> inOrder = new ArrayList<>(events);
            inOrder.sort(java.util.Comparator.comparing(TimelineEvent::at));
            for (TimelineEvent ev : inOrder) {
                if (ev.staffUserId() == null) {
                    continue;
                }
                if (CONTACT_ADDED.equals(ev.kind())) {
                    String state = ev.details().get("state");
                    String pool = state == null ? null : poolsByState.get(state);
                    if (pool != null) {
                        String key = pool + "|" + ev.staffUserId();
                        active.merge(key, 1L, Long::sum);
                        adds.computeIfAbsent(key, k -> new HashMap<>()).merge(ev.at().atZone(zone).toLocalDate(), 1L, Long::sum);
                        open.put(ev.staffUserId(), pool);
                    }
                } else if (RELATIONSHIP_ENDED.equals(ev.kind())) {
                    String pool = open.remove(ev.staffUserId());
                    if (pool != null) {
                        active.merge(pool + "|" + ev.staffUserId(), -1L, Long::sum);
                    }
                }
            }
        }
        java.util.Set<String> members = new java.util.HashSet<>(active.keySet());
        Map<String, PoolLoadRecord> stored = new HashMap<>();
        for (PoolLoadRecord l : loads) {
            stored.put(l.pool() + "|" + l.staff(), l);
            members.add(l.pool() + "|" + l.staff());
        }
        long mismatches = 0;
        for (String member : members) {
            PoolLoadRecord l = stored.get(member);
            long storedActive = l == null ? 0 : l.activeCustomers();
            Map<java.time.LocalDate, Long> storedAdds = l == null ? Map.of() : l.adds();
            Map<java.time.LocalDate, Long> expectedAdds = adds.getOrDefault(member, Map.of());
            if (storedActive != active.getOrDefault(member, 0L) || !new java.util.TreeMap<>(storedAdds).equals(new java.util.TreeMap<>(expectedAdds))) {
                mismatches++;
            }
        }
        return mismatches;
    }

    private static long missingActivationRuns(Map<String, List<TimelineEvent>> timelines, List<RunRecord> runs,
                                              Set<String> activationJourneys) {
        if (activationJourneys.isEmpty()) {
            return 0;
        }
        Map<String, List<Instant>> starts = new HashMap<>();
        for (RunRecord r : runs) {
            if (activationJourneys.contains(r.journey())) {
                starts.computeIfAbsent(r.customerId(), k -> new ArrayList<>()).add(r.startedAt());
            }
        }
        long missing = 0;
        for (Map.Entry<String, List<TimelineEvent>> e : timelines.entrySet()) {
            List<Instant> started = starts.getOrDefault(e.getKey(), List.of());
            for (TimelineEvent ev : e.getValue()) {
                if (CONTACT_ADDED.equals(ev.kind()) && started.stream().noneMatch(t -> !t.isBefore(ev.at()))) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /**
     * A withdrawal of marketing consent: the Mini Program's route names the purpose (profiling and personalization
     * do not stop messages); an event without one is the marketing consent the outreach gate reads.
     */
    private static boolean marketing(TimelineEvent withdrawal) {
        String purpose = withdrawal.details().get("purpose");
        return purpose == null || "marketing".equals(purpose);
    }

    private static List<String> recipients(JsonNode body) {
        List<String> out = new ArrayList<>();
        if ("single".equals(body.path("chat_type").asText())) {
            body.path("external_userid").forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
