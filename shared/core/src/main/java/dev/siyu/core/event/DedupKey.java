package dev.siyu.core.event;

import java.util.Objects;

/**
 * A callback's identity: ChangeType|UserID|ExternalUserID|ChatId|TagId|CreateTime. FromUserName is always
 * "sys". A group update puts a digest of its changed members where a contact event has the external id.
 */
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
            // Two joins in the same second differ only by who joined: the members are part of the identity.
            return join("chat_update_" + e.updateDetail(), "", members(e.memberChanges()), e.chatId(), "", t);
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

    /** The changed members, sorted, as a short digest: a big group's join list stays a fixed-size key. */
    private static String members(java.util.List<String> changed) {
        if (changed == null || changed.isEmpty()) {
            return "";
        }
        java.util.List<String> sorted = new java.util.ArrayList<>(changed);
        java.util.Collections.sort(sorted);
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", sorted).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "m" + java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }
}
