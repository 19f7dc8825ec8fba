package dev.siyu.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.gate.BusinessHours;
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
 * The guardrail invariants of a run, computed only from what was recorded: the outbound WeCom calls
 * and the customers' timelines, never from the gate's own counters, so a gate that miscounts cannot
 * hide its own mistake.
 *
 * <ul>
 *   <li>A touch is a customer-facing call: add_msg_template to customers (one touch per recipient),
 *       add_moment_task, send_welcome_msg. message/send reaches staff, mark_tag reaches no one.</li>
 *   <li>Exempt from business hours: send_welcome_msg (the customer's own action, answered within the
 *       20 s WeCom allows).</li>
 *   <li>After delete: a touch through a staff member (sender) at or after a relationship_ended event
 *       of that customer with that staff member.</li>
 *   <li>After withdrawal: any touch to the customer at or after their consent_withdrawn event.</li>
 * </ul>
 */
public record Invariants(long touchesAfterDelete, long touchesAfterConsentWithdrawal, long touchesOutsideBusinessHours,
                         long maxMassMessagesPerCustomerMonth, long maxMomentsPostsPerDay, long customers,
                         long touchesTotal) {
    static final Set<String> TOUCH_APIS = Set.of("externalcontact/add_msg_template", "externalcontact/add_moment_task",
            "externalcontact/send_welcome_msg");

    /**
     * @param timelines  customerId -> events
     * @param externalIds customerId -> external_userid
     */
    /**
     * What broke: each invariant that does not hold against the blueprint's guardrails, in words an
     * operator reads; empty when the run kept every guardrail.
     */
    public java.util.List<String> violations(dev.siyu.core.gate.Guardrails guardrails) {
        java.util.List<String> broken = new java.util.ArrayList<>();
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
        return broken;
    }

    public static Invariants compute(List<CallLog.Call> calls, Map<String, List<TimelineEvent>> timelines,
                                     Map<String, String> externalIds, BusinessHours hours, ZoneId zone) {
        Map<String, Instant> withdrawn = new HashMap<>();
        Map<String, Instant> ended = new HashMap<>();
        Map<String, Long> massPerMonth = new HashMap<>();
        for (Map.Entry<String, List<TimelineEvent>> e : timelines.entrySet()) {
            String ext = externalIds.get(e.getKey());
            for (TimelineEvent ev : e.getValue()) {
                if ("consent_withdrawn".equals(ev.kind())) {
                    withdrawn.merge(ext, ev.at(), (a, b) -> a.isBefore(b) ? a : b);
                } else if ("relationship_ended".equals(ev.kind()) && ev.staffUserId() != null) {
                    ended.merge(ext + "|" + ev.staffUserId(), ev.at(), (a, b) -> a.isBefore(b) ? a : b);
                } else if ("mass_message_sent".equals(ev.kind())) {
                    String month = ev.at().atZone(zone).toLocalDate().withDayOfMonth(1).toString();
                    massPerMonth.merge(e.getKey() + "|" + month, 1L, Long::sum);
                }
            }
        }
        long afterDelete = 0;
        long afterWithdrawal = 0;
        long outside = 0;
        long total = 0;
        Map<String, Long> momentsPerDay = new HashMap<>();
        for (CallLog.Call call : calls) {
            if (!TOUCH_APIS.contains(call.api())) {
                continue;
            }
            List<String> recipients = recipients(call.body());
            long touches = call.api().equals("externalcontact/add_msg_template") ? Math.max(1, recipients.size()) : 1;
            total += touches;
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
        return new Invariants(afterDelete, afterWithdrawal, outside,
                massPerMonth.values().stream().mapToLong(Long::longValue).max().orElse(0),
                momentsPerDay.values().stream().mapToLong(Long::longValue).max().orElse(0),
                timelines.size(), total);
    }

    private static List<String> recipients(JsonNode body) {
        List<String> out = new ArrayList<>();
        if ("single".equals(body.path("chat_type").asText())) {
            body.path("external_userid").forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
