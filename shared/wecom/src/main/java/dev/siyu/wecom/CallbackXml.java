package dev.siyu.wecom;

import dev.siyu.core.event.WeComEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The plaintext XML WeCom encrypts into a callback, one builder per event kind, in WeCom's
 * element names and order. {@link #of(String, WeComEvent)} is the inverse of {@link CallbackParser}.
 */
public final class CallbackXml {

    private CallbackXml() {
    }

    public static String contactAdded(String corpId, String staff, String externalUserId, String state,
                                      String welcomeCode, Instant createTime) {
        return contact(corpId, "add_external_contact", staff, externalUserId, createTime,
                "State", state, "WelcomeCode", welcomeCode);
    }

    /** The customer added the staff member, who has not accepted yet (no welcome code is offered). */
    public static String halfContactAdded(String corpId, String staff, String externalUserId, String state,
                                          String welcomeCode, Instant createTime) {
        return contact(corpId, "add_half_external_contact", staff, externalUserId, createTime,
                "State", state, "WelcomeCode", welcomeCode);
    }

    public static String contactEdited(String corpId, String staff, String externalUserId, Instant createTime) {
        return contact(corpId, "edit_external_contact", staff, externalUserId, createTime);
    }

    /** @param source e.g. DELETE_BY_TRANSFER when the removal came from a staff handover; may be null */
    public static String contactDeleted(String corpId, String staff, String externalUserId, String source,
                                        Instant createTime) {
        return contact(corpId, "del_external_contact", staff, externalUserId, createTime, "Source", source);
    }

    public static String followUserDeleted(String corpId, String staff, String externalUserId, Instant createTime) {
        return contact(corpId, "del_follow_user", staff, externalUserId, createTime);
    }

    /** @param failReason customer_refused or customer_limit_exceed */
    public static String transferFailed(String corpId, String staff, String externalUserId, String failReason,
                                        Instant createTime) {
        return contact(corpId, "transfer_fail", staff, externalUserId, createTime, "FailReason", failReason);
    }

    public static String chatCreated(String corpId, String chatId, Instant createTime) {
        return new Builder(corpId, createTime, "change_external_chat").text("ChatId", chatId)
                .text("ChangeType", "create").build();
    }

    /**
     * @param joinScene 0 invited, 1 by group link, 3 by group QR (add_member only)
     * @param quitScene 0 left, 1 removed by an owner or admin (del_member only)
     */
    public static String chatUpdated(String corpId, String chatId, String updateDetail, int joinScene, int quitScene,
                                     List<String> members, Instant createTime) {
        return chatUpdated(corpId, chatId, updateDetail, joinScene, quitScene, members.size(), members, createTime);
    }

    public static String chatDismissed(String corpId, String chatId, Instant createTime) {
        return new Builder(corpId, createTime, "change_external_chat").text("ChatId", chatId)
                .text("ChangeType", "dismiss").build();
    }

    /** @param tagType tag or tag_group; @param changeType create, update, delete or shuffle */
    public static String tagChanged(String corpId, String id, String tagType, String changeType, String strategyId,
                                    Instant createTime) {
        return new Builder(corpId, createTime, "change_external_tag").text("Id", id).text("TagType", tagType)
                .text("ChangeType", changeType).raw("StrategyId", strategyId).build();
    }

    /** Any other event (or, with a null event, a message of this msgType), for Unhandled. */
    public static String event(String corpId, String fromUser, String event, String changeType,
                               Map<String, String> fields, Instant createTime) {
        Builder b = new Builder(corpId, fromUser, createTime, event == null ? "text" : "event", event);
        b.text("ChangeType", changeType);
        fields.forEach(b::text);
        return b.build();
    }

    /** The XML WeCom would have sent for this event. */
    public static String of(String corpId, WeComEvent event) {
        Instant t = event.createdAt();
        // Java 17 bytecode: no pattern-matching switch, so an instanceof chain.
        if (event instanceof WeComEvent.ContactAdded e) {
            return e.half()
                    ? halfContactAdded(corpId, e.staffUserId(), e.externalUserId(), e.state(), e.welcomeCode(), t)
                    : contactAdded(corpId, e.staffUserId(), e.externalUserId(), e.state(), e.welcomeCode(), t);
        } else if (event instanceof WeComEvent.ContactEdited e) {
            return contactEdited(corpId, e.staffUserId(), e.externalUserId(), t);
        } else if (event instanceof WeComEvent.ContactDeleted e) {
            return contactDeleted(corpId, e.staffUserId(), e.externalUserId(), e.source(), t);
        } else if (event instanceof WeComEvent.FollowUserDeleted e) {
            return followUserDeleted(corpId, e.staffUserId(), e.externalUserId(), t);
        } else if (event instanceof WeComEvent.TransferFailed e) {
            return transferFailed(corpId, e.staffUserId(), e.externalUserId(), e.failReason(), t);
        } else if (event instanceof WeComEvent.ChatCreated e) {
            return chatCreated(corpId, e.chatId(), t);
        } else if (event instanceof WeComEvent.ChatUpdated e) {
            return chatUpdated(corpId, e.chatId(), e.updateDetail(), e.joinScene(), e.quitScene(),
                    e.memberChangeCount(), e.memberChanges(), t);
        } else if (event instanceof WeComEvent.ChatDismissed e) {
            return chatDismissed(corpId, e.chatId(), t);
        } else if (event instanceof WeComEvent.TagChanged e) {
            return tagChanged(corpId, e.tagId(), e.tagType(), e.changeType(), e.strategyId(), t);
        }
        WeComEvent.Unhandled e = (WeComEvent.Unhandled) event;
        return event(corpId, e.fromUser(), e.event(), e.changeType(), Map.of(), t);
    }

    private static String chatUpdated(String corpId, String chatId, String updateDetail, int joinScene, int quitScene,
                                      int memChangeCnt, List<String> members, Instant createTime) {
        boolean memberChange = updateDetail.equals("add_member") || updateDetail.equals("del_member");
        Builder b = new Builder(corpId, createTime, "change_external_chat").text("ChatId", chatId)
                .text("ChangeType", "update").text("UpdateDetail", updateDetail);
        if (updateDetail.equals("add_member") || joinScene != 0) {
            b.raw("JoinScene", String.valueOf(joinScene));
        }
        if (updateDetail.equals("del_member") || quitScene != 0) {
            b.raw("QuitScene", String.valueOf(quitScene));
        }
        if (memberChange || memChangeCnt != 0) {
            b.raw("MemChangeCnt", String.valueOf(memChangeCnt));
        }
        if (memberChange || !members.isEmpty()) {
            b.list("MemChangeList", "Item", members);
        }
        return b.build();
    }

    private static String contact(String corpId, String changeType, String staff, String externalUserId,
                                  Instant createTime, String... extra) {
        Builder b = new Builder(corpId, createTime, "change_external_contact").text("ChangeType", changeType)
                .text("UserID", staff).text("ExternalUserID", externalUserId);
        for (int i = 0; i < extra.length; i += 2) {
            b.text(extra[i], extra[i + 1]);
        }
        return b.build();
    }

    private static final class Builder {
        private final StringBuilder xml = new StringBuilder("<xml>");

        Builder(String corpId, Instant createTime, String event) {
            this(corpId, "sys", createTime, "event", event);
        }

        Builder(String corpId, String fromUser, Instant createTime, String msgType, String event) {
            Objects.requireNonNull(createTime, "createTime");
            text("ToUserName", Objects.requireNonNull(corpId, "corpId"));
            text("FromUserName", fromUser);
            raw("CreateTime", String.valueOf(createTime.getEpochSecond()));
            text("MsgType", msgType);
            text("Event", event);
        }

        /** A string field in CDATA, as WeCom writes them; null leaves the element out. */
        Builder text(String name, String value) {
            if (value != null) {
                xml.append('\n').append('<').append(name).append('>').append(cdata(value))
                        .append("</").append(name).append('>');
            }
            return this;
        }

        /** A numeric field, written bare as WeCom does; null leaves the element out. */
        Builder raw(String name, String value) {
            if (value != null) {
                xml.append('\n').append('<').append(name).append('>').append(escape(value))
                        .append("</").append(name).append('>');
            }
            return this;
        }

        Builder list(String name, String item, List<String> values) {
            xml.append('\n').append('<').append(name).append('>');
            for (String v : values) {
                xml.append('<').append(item).append('>').append(cdata(v)).append("</").append(item).append('>');
            }
            xml.append("</").append(name).append('>');
            return this;
        }

        String build() {
            return xml.append("\n</xml>").toString();
        }

        /** "]]>" cannot sit inside one CDATA section, so it is split across two. */
        private static String cdata(String value) {
            return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>";
        }

        private static String escape(String value) {
            return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
