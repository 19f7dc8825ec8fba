package dev.siyu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A run that broke a guardrail says which, so ./siyu demo can fail on it instead of exiting 0; and each
 * invariant computed from the record catches a violation planted in an otherwise clean record.
 */
class InvariantsTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant ADDED = Instant.parse("2026-11-02T02:00:00Z");
    static final Instant LATER = Instant.parse("2026-11-03T03:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunThatKeptEveryGuardrailHasNothingToSay() {
        Invariants kept = Invariants.clean(500, 6000, Guardrails.DEFAULTS.massMessagesPerMonth(),
                Guardrails.DEFAULTS.momentsPostsPerDay());
        assertThat(kept.violations(Guardrails.DEFAULTS)).isEmpty();
    }

    @Test
    void aFifthMassMessageInAMonthAndATouchAfterADeleteAreNamed() {
        Invariants broken = new Invariants(2, 0, 0, Guardrails.DEFAULTS.massMessagesPerMonth() + 1, 1, 500, 6000, 0, 0, 0, 0, 0, 0, 0);
        assertThat(broken.violations(Guardrails.DEFAULTS)).containsExactly(
                "2 touch(es) after the customer deleted the staff member",
                "a customer got " + (Guardrails.DEFAULTS.massMessagesPerMonth() + 1) + " mass messages in a month (cap "
                        + Guardrails.DEFAULTS.massMessagesPerMonth() + ")");
    }

    @Test
    void theCleanRecordHoldsEveryInvariant() {
        Invariants inv = compute(new Record());
        assertThat(inv.violations(Guardrails.DEFAULTS)).isEmpty();
        assertThat(inv.touchesTotal()).isEqualTo(2);
    }

    @Test
    void aTouchIdWeComAcceptedTwiceIsADuplicate() {
        Record r = new Record();
        r.calls.add(message("new_customer_activation#run1#1", 0, "wm1"));
        r.events.add(new TimelineEvent("e9", LATER, "coupon_issued", "amy", Map.of()));
        Invariants inv = compute(r);
        assertThat(inv.duplicateTouches()).isEqualTo(1);
        assertThat(inv.violations(Guardrails.DEFAULTS)).contains("1 touch id(s) WeCom accepted more than once");
    }

    @Test
    void aRetryThatFailedBeforeOneThatSucceededIsOneDelivery() {
        Record r = new Record();
        r.calls.add(0, message("new_customer_activation#run1#1", 45009, "wm1"));
        assertThat(compute(r).duplicateTouches()).isZero();
        assertThat(compute(r).touchCountMismatches()).isZero();
    }

    @Test
    void anActiveRunWithNothingPendingIsStuck() {
        Record r = new Record();
        r.runs.set(0, new RunRecord("c1", "wm1", "new_customer_activation", "run1", "active", RunRecord.NONE, ADDED));
        Invariants inv = compute(r);
        assertThat(inv.stuckRuns()).isEqualTo(1);
        assertThat(inv.violations(Guardrails.DEFAULTS)).contains("1 journey run(s) active with no step waiting");
    }

    @Test
    void aContactAddedWithoutAnActivationRunStartedAtOrAfterItIsMissing() {
        Record r = new Record();
        r.events.add(new TimelineEvent("e8", LATER, "contact_added", "bob", Map.of()));
        Invariants inv = compute(r);
        assertThat(inv.missingActivationRuns()).isEqualTo(1);
        assertThat(inv.violations(Guardrails.DEFAULTS)).contains("1 contact_added event(s) with no activation run");

        Record none = new Record();
        none.runs.clear();
        assertThat(compute(none).missingActivationRuns()).isEqualTo(1);
    }

    @Test
    void aCallReachingPeopleWithoutATouchIdIsCounted() {
        Record r = new Record();
        ObjectNode body = JSON.createObjectNode().put("touser", "amy").put("msgtype", "text");
        r.calls.add(new CallLog.Call(LATER, "message/send", body, null, 0));
        assertThat(compute(r).callsWithoutTouchId()).isEqualTo(1);
    }

    @Test
    void aMessageSentWithNoSendOnTheTimelineOrASendThatNeverWentOutIsACountMismatch() {
        Record sentTwice = new Record();
        sentTwice.calls.add(message("new_customer_activation#run1#2", 0, "wm1"));
        assertThat(compute(sentTwice).touchCountMismatches()).isEqualTo(1);
        assertThat(compute(sentTwice).duplicateTouches()).isZero();

        Record neverSent = new Record();
        neverSent.events.add(new TimelineEvent("e7", LATER, "coupon_issued", "amy", Map.of()));
        assertThat(compute(neverSent).touchCountMismatches()).isEqualTo(1);
    }

    @Test
    void aSendTheCapsDoNotCountOrATouchRecordWithNoSendIsACapCountMismatch() {
        Record uncounted = new Record();
        uncounted.touches.clear();
        Invariants inv = compute(uncounted);
        assertThat(inv.capCountMismatches()).isEqualTo(1);
        assertThat(inv.violations(Guardrails.DEFAULTS))
                .contains("1 customer(s) whose touch records (the caps' counts) and recorded sends differ");

        Record countedTwice = new Record();
        countedTwice.touches.add(touch("new_customer_activation#run1#1-again", Channel.COUPON));
        assertThat(compute(countedTwice).capCountMismatches()).isEqualTo(1);
    }

    @Test
    void anAddCountedTwiceOrADeleteNeverCountedIsAPoolLoadMismatch() {
        Record twice = new Record();
        twice.loads.set(0, new PoolLoadRecord("live_team", "amy", 2, Map.of(ADDED.atZone(ZONE).toLocalDate(), 2L)));
        Invariants inv = compute(twice);
        assertThat(inv.poolLoadMismatches()).isEqualTo(1);
        assertThat(inv.violations(Guardrails.DEFAULTS))
                .contains("1 staff member(s) whose pool counters and recorded adds and deletes differ");

        Record deleted = new Record();
        deleted.events.add(new TimelineEvent("e6", LATER.plusSeconds(60), "relationship_ended", "amy", Map.of()));
        assertThat(compute(deleted).poolLoadMismatches()).as("still counted active after the delete").isEqualTo(1);
        deleted.loads.set(0, new PoolLoadRecord("live_team", "amy", 0, Map.of(ADDED.atZone(ZONE).toLocalDate(), 1L)));
        assertThat(compute(deleted).poolLoadMismatches()).isZero();
    }

    @Test
    void aCustomerGivenFiveMessageTasksInOneMonthBreaksTheGuardrail_whoeverMadeThem() {
        // GIVEN the clean record's journey coupon, then a VIP invite, two mass sends and a second coupon in November
        Record r = new Record();
        for (String id : List.of("community#vip#wm1", "mass#tips_1#2026-11-04", "mass#picks_1#2026-11-10",
                "new_customer_activation#run1#4")) {
            r.calls.add(message(id, 0, "wm1"));
        }
        // WHEN the calls are recounted
        Invariants inv = compute(r);
        // THEN five add_msg_template recipients in one month: over the guardrail's 4
        assertThat(inv.maxMassMessagesPerCustomerMonth()).isEqualTo(5);
        assertThat(inv.violations(Guardrails.DEFAULTS)).contains("a customer got 5 mass messages in a month (cap 4)");
    }

    @Test
    void fourTasksInOneMonthAndOneInTheNextKeepTheGuardrail() {
        Record r = new Record();
        for (String id : List.of("a", "b", "c")) {
            r.calls.add(message(id, 0, "wm1"));
        }
        ObjectNode body = JSON.createObjectNode().put("chat_type", "single").put("sender", "amy");
        body.putArray("external_userid").add("wm1");
        // 00:30 on 1 December in Shanghai is still 30 November in UTC: the month is the tenant's
        r.calls.add(new CallLog.Call(Instant.parse("2026-11-30T16:30:00Z"), "externalcontact/add_msg_template", body,
                "d", 0));
        assertThat(compute(r).maxMassMessagesPerCustomerMonth()).isEqualTo(4);
        assertThat(Invariants.massMessageBudgetUsed(recorded(r), ZONE, Instant.parse("2026-12-31T00:00:00Z")))
                .containsEntry(4L, 1L).containsEntry(1L, 1L);
    }

    @Test
    void aDeskMessageSentAfterTheCustomerDeletedTheStaffMemberIsATouchAfterDelete() {
        Record r = new Record();
        r.events.add(new TimelineEvent("e8", LATER.plusSeconds(60), "relationship_ended", "amy", Map.of()));
        r.events.add(new TimelineEvent("e9", LATER.plusSeconds(120), "staff_message_sent", "amy", Map.of()));
        assertThat(compute(r).touchesAfterDelete()).isEqualTo(1);
    }

    /** One customer added, welcomed, sent one journey coupon; their activation run completed. */
    static final class Record {
        final List<CallLog.Call> calls = new ArrayList<>(List.of(
                new CallLog.Call(ADDED, "externalcontact/send_welcome_msg",
                        JSON.createObjectNode().put("welcome_code", "W1"), "welcome#k1", 0),
                message("new_customer_activation#run1#1", 0, "wm1")));
        final List<TimelineEvent> events = new ArrayList<>(List.of(
                new TimelineEvent("e1", ADDED, "contact_added", "amy", Map.of("state", "live_qr")),
                new TimelineEvent("e2", LATER, "coupon_issued", "amy", Map.of())));
        final List<RunRecord> runs = new ArrayList<>(List.of(
                new RunRecord("c1", "wm1", "new_customer_activation", "run1", "completed", RunRecord.NONE, ADDED)));
        final List<TouchRecord> touches = new ArrayList<>(List.of(touch("new_customer_activation#run1#1",
                Channel.COUPON)));
        final List<PoolLoadRecord> loads = new ArrayList<>(List.of(
                new PoolLoadRecord("live_team", "amy", 1, Map.of(ADDED.atZone(ZONE).toLocalDate(), 1L))));
    }

    static TouchRecord touch(String id, Channel channel) {
        return new TouchRecord("c1", id, LATER, channel, ContentClass.VALUE, true, 1, "");
    }

    static CallLog.Call message(String touchId, int errcode, String to) {
        ObjectNode body = JSON.createObjectNode().put("chat_type", "single").put("sender", "amy");
        body.putArray("external_userid").add(to);
        return new CallLog.Call(LATER, "externalcontact/add_msg_template", body, touchId, errcode);
    }

    static Invariants compute(Record r) {
        return Invariants.compute(recorded(r), BusinessHours.DEFAULT, ZONE);
    }

    static Invariants.Recorded recorded(Record r) {
        return new Invariants.Recorded(r.calls, Map.of("c1", r.events), Map.of("c1", "wm1"), r.runs,
                Set.of("new_customer_activation"), Map.of("wm1", r.touches), r.loads, Map.of("live_qr", "live_team"));
    }
}
