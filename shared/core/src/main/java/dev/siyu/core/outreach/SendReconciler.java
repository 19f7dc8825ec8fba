package dev.siyu.core.outreach;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Learns from WeCom whether a send whose outcome was lost (the worker died or timed out after the call) reached
 * it: add_msg_template and add_moment_task take no idempotency key, so the only way not to send twice is to
 * look before sending again.
 *
 * <p>Bounded, so it finishes inside a worker's 30 s at any volume. The window is {@code [intent - skew, now +
 * skew]}: not the intent's lease alone, because a delivery that found WeCom without the task sends again under
 * the same intent, later, and that send's answer can be lost too (a look-up that stopped at the first lease then
 * missed it and the task went out twice, the fault benchmark's seed 3). get_groupmsg_list_v2 is asked for the
 * sender's own tasks only ({@code creator}); at most
 * {@link #MAX_TASKS} tasks are listed and {@link #MAX_RESULTS} of them opened with get_groupmsg_send_result.
 * A task matches on sender, text and recipients (customers or groups). When the budget runs out without an
 * answer, or the intent is older than WeCom's lists reach ({@link #LONGEST_WINDOW}), the outcome is
 * {@link Lookup.Kind#UNKNOWN}: the caller records the touch as possibly sent and never resends it (at most once
 * beats at least once for a customer; asking again would spend the same budget on the same answer and end in
 * the DLQ). A lookup that fails (a time-out, a 5xx) throws: the intent stays unsettled and the delivery comes
 * back to ask again.
 */
public final class SendReconciler {
    /** WeCom's create_time has seconds and its clock is not ours: the window opens a little before the intent. */
    static final Duration SKEW = Duration.ofMinutes(2);
    /** get_moment_list takes at most 30 days, get_groupmsg_list_v2 a month: an older intent cannot be looked up. */
    static final Duration LONGEST_WINDOW = Duration.ofDays(29);
    /** Tasks listed at most (one page is 100): one sender's tasks in a few minutes are a handful. */
    public static final int MAX_TASKS = 300;
    /**
     * get_groupmsg_send_result calls at most, one per task of the same text: a step's text is every customer's, so a
     * look-up a day later (a dead letter redriven) meets several of the sender's; 3 list pages and 10 of these at the
     * adapter's 1.5 s each stay inside the worker's 30 s. Five recorded a coupon never sent (the fault benchmark's
     * seed 17).
     */
    public static final int MAX_RESULTS = 10;

    /** What WeCom says about an intent. */
    public record Lookup(Kind kind, String id) {
        public enum Kind {
            /** WeCom has it: id is its msgid or moment_id. */
            FOUND,
            /** WeCom certainly has no such task in the window: it never got the call. */
            ABSENT,
            /** The budget ran out before an answer, or the intent is too old for WeCom's lists: never resend. */
            UNKNOWN
        }

        static Lookup found(String id) {
            return new Lookup(Kind.FOUND, id);
        }

        /** The outcome to record: WeCom's id when found, {@code unknown} when it may have gone out unseen. */
        public String outcome() {
            return kind == Kind.FOUND ? id : "unknown";
        }

        public static Lookup of(Kind kind) {
            return new Lookup(kind, null);
        }
    }

    private final WeComApi wecom;

    public SendReconciler(WeComApi wecom) {
        this.wecom = wecom;
    }

    /** WeCom's msgid of the task the template became, if WeCom has one created while the intent's writer held it. */
    public Lookup message(MsgTemplate t, Instant intentAt, Instant now) {
        if (intentAt.isBefore(now.minus(LONGEST_WINDOW))) {
            return Lookup.of(Lookup.Kind.UNKNOWN);
        }
        Set<String> wanted = new HashSet<>("group".equals(t.chatType()) ? t.chatIds() : t.externalUserIds());
        List<WeComApi.GroupMsg> listed = wecom.groupMsgList(t.chatType(), t.sender(), intentAt.minus(SKEW),
                to(now), MAX_TASKS + 1);
        boolean complete = listed.size() <= MAX_TASKS;
        int opened = 0;
        for (WeComApi.GroupMsg m : listed.subList(0, Math.min(listed.size(), MAX_TASKS))) {
            if (!Objects.equals(m.text(), t.text()) || (m.creator() != null && !m.creator().isEmpty()
                    && !m.creator().equals(t.sender()))) {
                continue;
            }
            if (opened == MAX_RESULTS) {
                return Lookup.of(Lookup.Kind.UNKNOWN);
            }
            opened++;
            List<WeComApi.GroupMsgRecipient> to = wecom.groupMsgSendResult(m.msgid(), t.sender());
            Set<String> reached = new HashSet<>();
            for (WeComApi.GroupMsgRecipient r : to) {
                reached.add("group".equals(t.chatType()) ? r.chatId() : r.externalUserId());
            }
            // Every wanted recipient reached: a mass send's task may have reached more (customers whose records were
            // settled before the rest).
            if (!to.isEmpty() && reached.containsAll(wanted)) {
                return Lookup.found(m.msgid());
            }
        }
        return Lookup.of(complete ? Lookup.Kind.ABSENT : Lookup.Kind.UNKNOWN);
    }

    private static Instant to(Instant now) {
        return now.plus(SKEW);
    }

    /**
     * The moment_id of a post of that text created while the intent's writer held it. get_moment_list does not
     * show a post's visible tags (get_moment_customer_list would, per sender): two posts of one text for two tags
     * within those minutes are not told apart, and either counts as found (never a second post).
     */
    public Lookup moment(String text, Instant intentAt, Instant now) {
        if (intentAt.isBefore(now.minus(LONGEST_WINDOW))) {
            return Lookup.of(Lookup.Kind.UNKNOWN);
        }
        List<WeComApi.Moment> listed = wecom.momentList(intentAt.minus(SKEW), to(now), MAX_TASKS + 1);
        if (listed.size() > MAX_TASKS) {
            return Lookup.of(Lookup.Kind.UNKNOWN);
        }
        List<String> same = listed.stream().filter(m -> Objects.equals(m.text(), text)).map(WeComApi.Moment::momentId)
                .toList();
        return same.isEmpty() ? Lookup.of(Lookup.Kind.ABSENT) : Lookup.found(same.get(0));
    }
}
