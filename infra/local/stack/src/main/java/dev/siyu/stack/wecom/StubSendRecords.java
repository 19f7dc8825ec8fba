package dev.siyu.stack.wecom;

import static dev.siyu.stack.wecom.StubReplies.INVALID_PARAMETER;
import static dev.siyu.stack.wecom.StubReplies.error;
import static dev.siyu.stack.wecom.StubReplies.ok;
import static dev.siyu.stack.wecom.StubReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of what {@link StubMessaging} accepted, as WeCom lists it: what a sender whose answer was lost
 * reads to learn whether its add_msg_template or add_moment_task got through. Every task the stub holds was
 * created through the API, so it is an enterprise task (create_type 0). Cursors are offsets as text.
 * Not thread-safe: {@link StubState} calls it under its lock.
 *
 * <ul>
 *   <li>{@code externalcontact/get_groupmsg_list_v2}
 *       (https://developer.work.weixin.qq.com/document/path/93338): chat_type single (default) or group,
 *       start_time and end_time required and at most one month apart, filter_type 0 enterprise, 1 personal,
 *       2 all (default), creator optional, limit at most 100 (default 50).</li>
 *   <li>{@code externalcontact/get_groupmsg_send_result} (same page): msgid and userid required; one line
 *       per customer or group of that member's part of the task; limit at most 1000 (default 500).</li>
 *   <li>{@code externalcontact/get_moment_list} (https://developer.work.weixin.qq.com/document/path/93333):
 *       start_time and end_time required and at most 30 days apart, filter_type as above, limit at most 20,
 *       more taken as the default 20; deleted posts are not listed.</li>
 * </ul>
 * WeCom answers an out-of-range window with 600018 ("invalid start endtime"), a missing field with 40058.
 */
final class StubSendRecords {
    static final int INVALID_START_END_TIME = 600018;
    private static final Duration MONTH = Duration.ofDays(31);
    private static final Duration MOMENT_WINDOW = Duration.ofDays(30);

    private final StubMessaging messaging;

    StubSendRecords(StubMessaging messaging) {
        this.messaging = messaging;
    }

    ObjectNode groupMsgListV2(JsonNode body) {
        String chatType = body.hasNonNull("chat_type") ? text(body, "chat_type") : "single";
        if (!chatType.equals("single") && !chatType.equals("group")) {
            return error(INVALID_PARAMETER, "invalid chat_type, must be single or group");
        }
        Window w = window(body, MONTH);
        if (w.refused != null) {
            return w.refused;
        }
        int filter = body.path("filter_type").asInt(2);
        String creator = text(body, "creator");
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode t : messaging.templates()) {
            Instant at = Instant.parse(t.path("at").asText());
            if (!t.path("chat_type").asText().equals(chatType) || !w.contains(at) || filter == 1
                    || (!creator.isBlank() && !creator.equals(t.path("sender").asText()))) {
                continue;
            }
            ObjectNode m = t.objectNode();
            m.put("msgid", t.path("msgid").asText());
            m.put("creator", t.path("sender").asText());
            m.put("create_time", at.getEpochSecond());
            m.put("create_type", 0);
            m.set("text", t.path("text").deepCopy());
            m.set("attachments", t.path("attachments").deepCopy());
            found.add(m);
        }
        return page(body, found, 100, 50, "group_msg_list");
    }

    ObjectNode groupMsgSendResult(JsonNode body) {
        String msgid = text(body, "msgid");
        String userid = text(body, "userid");
        if (msgid.isBlank() || userid.isBlank()) {
            return error(INVALID_PARAMETER, "msgid and userid are required");
        }
        List<ObjectNode> lines = new ArrayList<>();
        for (ObjectNode t : messaging.templates()) {
            if (!t.path("msgid").asText().equals(msgid) || !t.path("sender").asText().equals(userid)) {
                continue;
            }
            boolean group = t.path("chat_type").asText().equals("group");
            for (JsonNode to : t.path(group ? "chat_id_list" : "external_userid")) {
                ObjectNode line = t.objectNode();
                line.put(group ? "chat_id" : "external_userid", to.asText());
                line.put("userid", userid);
                // 0: not sent yet. The stub's sender never confirms a task.
                line.put("status", 0);
                lines.add(line);
            }
        }
        return page(body, lines, 1000, 500, "send_list");
    }

    ObjectNode momentList(JsonNode body) {
        Window w = window(body, MOMENT_WINDOW);
        if (w.refused != null) {
            return w.refused;
        }
        int filter = body.path("filter_type").asInt(2);
        String creator = text(body, "creator");
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode t : messaging.momentTasks()) {
            Instant at = Instant.parse(t.path("at").asText());
            JsonNode senders = t.path("sender_list");
            String first = senders.isArray() && !senders.isEmpty() ? senders.get(0).asText() : "";
            if (!w.contains(at) || filter == 1 || (!creator.isBlank() && !creator.equals(first))) {
                continue;
            }
            ObjectNode m = t.objectNode();
            m.put("moment_id", t.path("moment_id").asText());
            m.put("creator", first);
            m.put("create_time", at.getEpochSecond());
            m.put("create_type", 0);
            m.put("visible_type", t.path("tag_list").isEmpty() ? 1 : 0);
            m.set("text", t.path("text").deepCopy());
            found.add(m);
        }
        int limit = body.path("limit").asInt(20);
        ObjectNode clamped = body.deepCopy();
        clamped.put("limit", limit < 1 || limit > 20 ? 20 : limit);
        return page(clamped, found, 20, 20, "moment_list");
    }

    private static ObjectNode page(JsonNode body, List<ObjectNode> all, int max, int dflt, String field) {
        int limit = body.path("limit").asInt(dflt);
        if (limit < 1 || limit > max) {
            limit = dflt;
        }
        int from = 0;
        String cursor = text(body, "cursor");
        if (!cursor.isBlank()) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                return error(INVALID_PARAMETER, "invalid cursor");
            }
        }
        ObjectNode reply = ok();
        ArrayNode list = reply.putArray(field);
        int to = Math.min(all.size(), from + limit);
        for (int i = from; i < to; i++) {
            list.add(all.get(i));
        }
        reply.put("next_cursor", to < all.size() ? Integer.toString(to) : "");
        return reply;
    }

    private static Window window(JsonNode body, Duration longest) {
        if (!body.path("start_time").canConvertToLong() || !body.path("end_time").canConvertToLong()) {
            return new Window(null, null, error(INVALID_PARAMETER, "start_time and end_time are required"));
        }
        Instant start = Instant.ofEpochSecond(body.path("start_time").asLong());
        Instant end = Instant.ofEpochSecond(body.path("end_time").asLong());
        if (end.isBefore(start) || Duration.between(start, end).compareTo(longest) > 0) {
            return new Window(null, null, error(INVALID_START_END_TIME, "invalid start endtime"));
        }
        return new Window(start, end, null);
    }

    /** Seconds, both ends included, as WeCom's create_time compares. */
    private record Window(Instant start, Instant end, ObjectNode refused) {
        boolean contains(Instant at) {
            long s = at.getEpochSecond();
            return s >= start.getEpochSecond() && s <= end.getEpochSecond();
        }
    }
}
