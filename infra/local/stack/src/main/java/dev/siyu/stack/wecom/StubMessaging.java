package dev.siyu.stack.wecom;

import static dev.siyu.stack.wecom.StubReplies.INVALID_PARAMETER;
import static dev.siyu.stack.wecom.StubReplies.error;
import static dev.siyu.stack.wecom.StubReplies.ok;
import static dev.siyu.stack.wecom.StubReplies.strings;
import static dev.siyu.stack.wecom.StubReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * What the stub remembers of outbound messages: {@code externalcontact/add_msg_template} (a task the
 * sender confirms), {@code message/send} (an app notification to staff) and
 * {@code externalcontact/add_moment_task}. Not thread-safe: {@link StubState} calls it under its lock. Their
 * content (text, attachments, media ids) is checked before, by {@link dev.siyu.memory.rules.WeComRules}.
 */
final class StubMessaging {

    static final int INVALID_MSGTYPE = 40008;
    static final int INVALID_AGENT_ID = 40056;
    static final int INVALID_TAG_ID = 40068;
    static final int EMPTY_TEXT_CONTENT = 44004;
    static final int NO_VALID_RECIPIENT = 81013;

    /** WeCom's own limits on one add_msg_template call. */
    static final int MAX_TEMPLATE_CUSTOMERS = 10_000;
    /** message/send takes at most this many user ids in touser. */
    static final int MAX_NOTIFY_USERS = 1000;

    private final List<ObjectNode> templates = new ArrayList<>();
    private final List<ObjectNode> notifications = new ArrayList<>();
    private final List<ObjectNode> momentTasks = new ArrayList<>();
    private long templateSeq;
    private long notificationSeq;
    private long momentSeq;

    void reset() {
        templates.clear();
        notifications.clear();
        momentTasks.clear();
        templateSeq = 0;
        notificationSeq = 0;
        momentSeq = 0;
    }

    /**
     * add_msg_template (创建企业群发, https://developer.work.weixin.qq.com/document/path/92135): chat_type single or group; a single task names customers
     * or a sender, a group task its sender; at most 10000 external_userid per task. 40058 otherwise.
     *
     * @param notFollowing (externalUserId, sender) -> true when WeCom cannot deliver to the customer (the sender is
     *                     not among their staff, or they reached the corp's task limit): WeCom puts such
     *                     customers in fail_list
     */
    ObjectNode addMsgTemplate(JsonNode body, Instant now, BiPredicate<String, String> notFollowing) {
        String chatType = body.hasNonNull("chat_type") ? text(body, "chat_type") : "single";
        if (!chatType.equals("single") && !chatType.equals("group")) {
            return error(INVALID_PARAMETER, "invalid chat_type, must be single or group");
        }
        String sender = text(body, "sender");
        List<String> customers = strings(body.path("external_userid"));
        List<String> chats = strings(body.path("chat_id_list"));
        if (chatType.equals("single") && customers.isEmpty() && sender.isBlank()) {
            return error(INVALID_PARAMETER, "external_userid and sender must not both be empty");
        }
        if (chatType.equals("group") && sender.isBlank()) {
            return error(INVALID_PARAMETER, "a group message task needs its sender (the group owner)");
        }
        if (customers.size() > MAX_TEMPLATE_CUSTOMERS) {
            return error(INVALID_PARAMETER, "external_userid takes at most " + MAX_TEMPLATE_CUSTOMERS + " ids");
        }
        String msgId = String.format("msgSTUB%08d", ++templateSeq);
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        stored.put("at", now.toString());
        stored.put("msgid", msgId);
        stored.put("chat_type", chatType);
        stored.put("sender", sender);
        customers.forEach(stored.putArray("external_userid")::add);
        chats.forEach(stored.putArray("chat_id_list")::add);
        stored.set("text", body.path("text").deepCopy());
        stored.set("attachments", body.path("attachments").isArray()
                ? body.path("attachments").deepCopy() : JsonNodeFactory.instance.arrayNode());
        ArrayNode failList = stored.putArray("fail_list");
        customers.stream().filter(c -> notFollowing.test(c, sender)).forEach(failList::add);
        templates.add(stored);
        ObjectNode reply = ok();
        reply.set("fail_list", failList.deepCopy());
        reply.put("msgid", msgId);
        return reply;
    }

    /**
     * message/send (发送应用消息, https://developer.work.weixin.qq.com/document/path/90236): a valid agentid (40056); touser, toparty or totag (81013);
     * at most 1000 users; a msgtype (40008); a text message's content not empty (44004).
     */
    ObjectNode sendMessage(JsonNode body, Instant now) {
        JsonNode agent = body.path("agentid");
        if (!agent.canConvertToInt() || agent.asInt() <= 0) {
            return error(INVALID_AGENT_ID, "invalid agentid");
        }
        List<String> users = Arrays.stream(text(body, "touser").split("\\|")).filter(u -> !u.isBlank()).toList();
        if (users.isEmpty() && text(body, "toparty").isBlank() && text(body, "totag").isBlank()) {
            return error(NO_VALID_RECIPIENT, "touser, toparty and totag are all empty or invalid");
        }
        if (users.size() > MAX_NOTIFY_USERS) {
            return error(INVALID_PARAMETER, "touser takes at most " + MAX_NOTIFY_USERS + " user ids");
        }
        String msgType = text(body, "msgtype");
        if (msgType.isBlank()) {
            return error(INVALID_MSGTYPE, "msgtype missing");
        }
        if (msgType.equals("text") && text(body.path("text"), "content").isBlank()) {
            return error(EMPTY_TEXT_CONTENT, "text.content is empty");
        }
        String msgId = String.format("stubmsg%08d", ++notificationSeq);
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        stored.put("at", now.toString());
        stored.put("msgid", msgId);
        stored.put("agentid", agent.asInt());
        users.forEach(stored.putArray("touser")::add);
        stored.put("msgtype", msgType);
        stored.set(msgType, body.path(msgType).deepCopy());
        notifications.add(stored);
        ObjectNode reply = ok();
        reply.put("invaliduser", "");
        reply.put("invalidparty", "");
        reply.put("invalidtag", "");
        reply.put("unlicenseduser", "");
        reply.put("msgid", msgId);
        return reply;
    }

    /**
     * add_moment_task (企业发表内容到客户的朋友圈, https://developer.work.weixin.qq.com/document/path/95094): the visible range's tags are corp tags (40068).
     *
     * @param tagExists corp tag ids the stub knows
     */
    ObjectNode addMomentTask(JsonNode body, Instant now, Predicate<String> tagExists) {
        JsonNode range = body.path("visible_range");
        List<String> senders = strings(range.path("sender_list").path("user_list"));
        List<String> tags = strings(range.path("external_contact_list").path("tag_list"));
        for (String tag : tags) {
            if (!tagExists.test(tag)) {
                return error(INVALID_TAG_ID, "invalid tag_id '" + tag + "'");
            }
        }
        String jobId = String.format("jobSTUB%08d", ++momentSeq);
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        stored.put("at", now.toString());
        stored.put("jobid", jobId);
        // WeCom names the post itself by moment_id once the job ran (get_moment_task_result); the stub at once.
        stored.put("moment_id", String.format("momSTUB%08d", momentSeq));
        senders.forEach(stored.putArray("sender_list")::add);
        tags.forEach(stored.putArray("tag_list")::add);
        stored.set("text", body.path("text").deepCopy());
        stored.set("attachments", body.path("attachments").isArray()
                ? body.path("attachments").deepCopy() : JsonNodeFactory.instance.arrayNode());
        momentTasks.add(stored);
        ObjectNode reply = ok();
        reply.put("jobid", jobId);
        return reply;
    }

    /** The tasks accepted so far, oldest first (for {@link StubSendRecords}). */
    List<ObjectNode> templates() {
        return templates;
    }

    List<ObjectNode> momentTasks() {
        return momentTasks;
    }

    void snapshot(ObjectNode into) {
        ArrayNode t = into.putArray("msg_templates");
        templates.forEach(n -> t.add(n.deepCopy()));
        ArrayNode n = into.putArray("notifications");
        notifications.forEach(x -> n.add(x.deepCopy()));
        ArrayNode m = into.putArray("moment_tasks");
        momentTasks.forEach(x -> m.add(x.deepCopy()));
    }
}
