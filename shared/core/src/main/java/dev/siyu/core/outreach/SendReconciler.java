package dev.siyu.core.outreach;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Learns from WeCom whether a send whose outcome was lost (the worker died or timed out after the call) reached
 * it: add_msg_template and add_moment_task take no idempotency key, so the only way not to send twice is to
 * look before sending again. A message task matches by text, time window, sender and recipients (all of the wanted ones)
 * (get_groupmsg_list_v2, then get_groupmsg_send_result); a Moments post by text and time window
 * (get_moment_list).
 */
public final class SendReconciler {
    /** WeCom's create_time has seconds and its clock is not ours: the window opens a little before the intent. */
    static final Duration SKEW = Duration.ofMinutes(2);
    /** get_moment_list takes at most 30 days, get_groupmsg_list_v2 a month: an older intent is looked up that far. */
    static final Duration LONGEST_WINDOW = Duration.ofDays(29);

    private final WeComApi wecom;

    public SendReconciler(WeComApi wecom) {
        this.wecom = wecom;
    }

    /** WeCom's msgid of the task the template became, if WeCom has one created since the intent. */
    public Optional<String> message(MsgTemplate t, Instant intentAt, Instant now) {
        Set<String> wanted = new HashSet<>("group".equals(t.chatType()) ? t.chatIds() : t.externalUserIds());
        for (WeComApi.GroupMsg m : wecom.groupMsgList(t.chatType(), from(intentAt, now), now.plus(SKEW))) {
            if (!Objects.equals(m.text(), t.text())) {
                continue;
            }
            List<WeComApi.GroupMsgRecipient> to = wecom.groupMsgSendResult(m.msgid(), t.sender());
            Set<String> reached = new HashSet<>();
            for (WeComApi.GroupMsgRecipient r : to) {
                reached.add("group".equals(t.chatType()) ? r.chatId() : r.externalUserId());
            }
            // Every wanted recipient reached (a task may have reached more: a mass send's customers whose records
            // were settled before the rest).
            if (!to.isEmpty() && reached.containsAll(wanted)) {
                return Optional.of(m.msgid());
            }
        }
        return Optional.empty();
    }

    /**
     * After a failed add_msg_template, made at {@code at}: WeCom's msgid if it created the task all the same. Empty
     * when WeCom answered no (a positive errcode) or has no such task, so the claim on it may be given back for a
     * retry. An unknown outcome (errcode -1: busy, a 5xx, a read time-out after WeCom took the call) is looked up;
     * a failure of the look-up itself propagates, and the caller keeps its claim: at most once.
     */
    public Optional<String> createdDespite(WeComApiException failure, MsgTemplate t, Instant at, Instant now) {
        if (failure.errcode() > 0) {
            return Optional.empty();
        }
        return message(t, at, now);
    }

    private static Instant from(Instant intentAt, Instant now) {
        Instant earliest = now.minus(LONGEST_WINDOW);
        Instant from = intentAt.minus(SKEW);
        return from.isBefore(earliest) ? earliest : from;
    }

    /** The moment_id of a post of that text created since the intent, if WeCom has one. */
    public Optional<String> moment(String text, Instant intentAt, Instant now) {
        return wecom.momentList(from(intentAt, now), now.plus(SKEW)).stream()
                .filter(m -> Objects.equals(m.text(), text))
                .map(WeComApi.Moment::momentId)
                .findFirst();
    }
}
