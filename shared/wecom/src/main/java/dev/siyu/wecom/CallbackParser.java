package dev.siyu.wecom;

import dev.siyu.core.event.WeComEvent;
import java.time.Instant;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Turns a decrypted WeCom callback message into a {@link WeComEvent}. Events we do not act on
 * become {@link WeComEvent.Unhandled}; events we act on but that lack a field we key on are a 400,
 * because acting on them would write a profile or dedup key with a hole in it.
 */
public final class CallbackParser {

    public WeComEvent parse(String plaintextXml) {
        Element root = SafeXml.parse(plaintextXml, "decrypted message");
        Fields f = new Fields(root);
        Instant createdAt = Instant.ofEpochSecond(f.requiredLong("CreateTime"));
        String event = f.optional("Event");
        String changeType = f.optional("ChangeType");
        String fromUser = f.optional("FromUserName");
        if (event == null) {
            String msgType = f.optional("MsgType");
            if (msgType == null) {
                throw CallbackRejected.badRequest("decrypted message has neither Event nor MsgType");
            }
            return new WeComEvent.Unhandled(msgType, changeType, fromUser, createdAt);
        }
        switch (event) {
            case "change_external_contact":
                return contactChange(f, changeType, fromUser, createdAt);
            case "change_external_chat":
                return chatChange(f, changeType, fromUser, createdAt);
            case "change_external_tag":
                return tagChange(f, changeType, createdAt);
            default:
                return new WeComEvent.Unhandled(event, changeType, fromUser, createdAt);
        }
    }

    private static WeComEvent contactChange(Fields f, String changeType, String fromUser, Instant at) {
        String what = "change_external_contact";
        String type = f.required("ChangeType", what);
        what += "/" + type;
        switch (type) {
            case "add_external_contact":
            case "add_half_external_contact":
                return new WeComEvent.ContactAdded(f.required("UserID", what), f.required("ExternalUserID", what),
                        f.optional("State"), f.optional("WelcomeCode"), type.equals("add_half_external_contact"), at);
            case "edit_external_contact":
                return new WeComEvent.ContactEdited(f.required("UserID", what), f.required("ExternalUserID", what), at);
            case "del_external_contact":
                return new WeComEvent.ContactDeleted(f.required("UserID", what), f.required("ExternalUserID", what),
                        f.optional("Source"), at);
            case "del_follow_user":
                return new WeComEvent.FollowUserDeleted(f.required("UserID", what), f.required("ExternalUserID", what), at);
            case "transfer_fail":
                return new WeComEvent.TransferFailed(f.required("UserID", what), f.required("ExternalUserID", what),
                        f.optional("FailReason"), at);
            default:
                return new WeComEvent.Unhandled("change_external_contact", changeType, fromUser, at);
        }
    }

    private static WeComEvent chatChange(Fields f, String changeType, String fromUser, Instant at) {
        String what = "change_external_chat";
        String type = f.required("ChangeType", what);
        what += "/" + type;
        switch (type) {
            case "create":
                return new WeComEvent.ChatCreated(f.required("ChatId", what), at);
            case "update":
                List<String> members = f.items("MemChangeList", "Item");
                return new WeComEvent.ChatUpdated(f.required("ChatId", what), f.required("UpdateDetail", what),
                        f.optionalInt("JoinScene"), f.optionalInt("QuitScene"), f.optionalInt("MemChangeCnt"),
                        members, at);
            case "dismiss":
                return new WeComEvent.ChatDismissed(f.required("ChatId", what), at);
            default:
                return new WeComEvent.Unhandled("change_external_chat", changeType, fromUser, at);
        }
    }

    private static WeComEvent tagChange(Fields f, String changeType, Instant at) {
        String what = "change_external_tag";
        String type = f.required("ChangeType", what);
        what += "/" + type;
        // A shuffle reorders a whole tag group, or every group when Id is empty, and has no TagType.
        if (type.equals("shuffle")) {
            String id = f.optional("Id");
            return new WeComEvent.TagChanged(id == null ? "" : id, f.optional("TagType"), type,
                    f.optional("StrategyId"), at);
        }
        return new WeComEvent.TagChanged(f.required("Id", what), f.required("TagType", what), type,
                f.optional("StrategyId"), at);
    }

    /** WeCom's flat fields; an empty element counts as absent, as WeCom sends empty CDATA for "none". */
    private static final class Fields {
        private final Element root;

        Fields(Element root) {
            this.root = root;
            if (!"xml".equals(root.getNodeName())) {
                throw CallbackRejected.badRequest("decrypted message root is "
                        + CallbackRejected.quote(root.getNodeName()) + ", not xml");
            }
        }

        String optional(String name) {
            String v = SafeXml.childText(root, name);
            return v == null || v.isEmpty() ? null : v;
        }

        String required(String name, String what) {
            String v = optional(name);
            if (v == null) {
                throw CallbackRejected.badRequest(what + " without " + name);
            }
            return v;
        }

        long requiredLong(String name) {
            String v = optional(name);
            if (v == null) {
                throw CallbackRejected.badRequest("decrypted message without " + name);
            }
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw CallbackRejected.badRequest(name + " " + CallbackRejected.quote(v) + " is not a number");
            }
        }

        int optionalInt(String name) {
            String v = optional(name);
            if (v == null) {
                return 0;
            }
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw CallbackRejected.badRequest(name + " " + CallbackRejected.quote(v) + " is not a number");
            }
        }

        List<String> items(String listName, String itemName) {
            Element list = SafeXml.child(root, listName);
            if (list == null) {
                return List.of();
            }
            return SafeXml.childTexts(list, itemName).stream().filter(s -> !s.isEmpty()).toList();
        }
    }
}
