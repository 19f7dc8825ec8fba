package dev.siyu.core.event;

import java.util.Objects;

/** A callback's identity: ChangeType|UserID|ExternalUserID|ChatId|TagId|CreateTime. FromUserName is always "sys". */
public record DedupKey(String value) {

    public DedupKey {
        Objects.requireNonNull(value, "value");
    }

    public static DedupKey of(WeComEvent event) {
        long t = event.createdAt().getEpochSecond();
        // Java 17 bytecode: no pattern-matching switch, so an instanceof chain.
        if (event instanceof WeComEvent.ContactAdded e) {
            return join(e.half() ? "add_half_external_contact" : "add_external_contact", e.staffUserId(), e.externalUserId(), "", "", t);
        } else if (event instanceof WeComEvent.ContactEdited e) {
            return join("edit_external_contact", e.staffUserId(), e.externalUserId(), "", "", t);
        } else if (event instanceof WeComEvent.ContactDeleted e) {
            return join("del_external_contact", e.staffUserId(), e.externalUserId(), "", "", t);
        } else if (event instanceof WeComEvent.FollowUserDeleted e) {
            return join("del_follow_user", e.staffUserId(), e.externalUserId(), "", "", t);
        } else if (event instanceof WeComEvent.TransferFailed e) {
            return join("transfer_fail", e.staffUserId(), e.externalUserId(), "", "", t);
        } else if (event instanceof WeComEvent.ChatCreated e) {
            return join("chat_create", "", "", e.chatId(), "", t);
        } else if (event instanceof WeComEvent.ChatUpdated e) {
            return join("chat_update_" + e.updateDetail(), "", "", e.chatId(), "", t);
        } else if (event instanceof WeComEvent.ChatDismissed e) {
            return join("chat_dismiss", "", "", e.chatId(), "", t);
        } else if (event instanceof WeComEvent.TagChanged e) {
            return join("tag_" + e.changeType(), "", "", "", e.tagId(), t);
        }
        WeComEvent.Unhandled e = (WeComEvent.Unhandled) event;
        return join(e.event() + "/" + e.changeType(), e.fromUser(), "", "", "", t);
    }

    private static DedupKey join(String changeType, String user, String external, String chat, String tag, long t) {
        return new DedupKey(String.join("|", changeType, n(user), n(external), n(chat), n(tag), Long.toString(t)));
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }
}
