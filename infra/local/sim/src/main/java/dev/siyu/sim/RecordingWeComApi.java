package dev.siyu.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.port.WeComApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WeCom API for the in-memory engine benchmark: answers like WeCom and records each call with the
 * JSON body WeCom would have received, so the invariants are computed the same way as on the local
 * stack, from the calls.
 */
public final class RecordingWeComApi implements WeComApi, CallLog {
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public RecordingWeComApi(Clock clock) {
        this.clock = clock;
    }

    private synchronized void record(String api, ObjectNode body) {
        calls.add(new Call(clock.instant(), api, body));
    }

    @Override
    public synchronized List<Call> drain() {
        List<Call> out = new ArrayList<>(calls);
        calls.clear();
        return out;
    }

    @Override
    public ContactDetail contact(String externalUserId) {
        return new ContactDetail(externalUserId, externalUserId, "", null, 1, 0);
    }

    @Override
    public ContactWay addContactWay(List<String> staffUserIds, String state, String remark) {
        String id = "cw" + ids.incrementAndGet();
        return new ContactWay(id, "https://wework.qpic.cn/wwpic/" + id);
    }

    @Override
    public void updateContactWay(String configId, List<String> staffUserIds, String state) {
        ObjectNode b = json.createObjectNode().put("config_id", configId).put("state", state);
        strings(b.putArray("user"), staffUserIds);
        record("externalcontact/update_contact_way", b);
    }

    @Override
    public void sendWelcome(String welcomeCode, String text) {
        ObjectNode b = json.createObjectNode().put("welcome_code", welcomeCode);
        b.putObject("text").put("content", text);
        record("externalcontact/send_welcome_msg", b);
    }

    @Override
    public synchronized Map<String, Map<String, String>> corpTags() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        tags.forEach((g, t) -> copy.put(g, new LinkedHashMap<>(t)));
        return copy;
    }

    @Override
    public synchronized String addCorpTag(String groupName, String tagName) {
        String id = "et" + ids.incrementAndGet();
        tags.computeIfAbsent(groupName, g -> new LinkedHashMap<>()).put(tagName, id);
        return id;
    }

    @Override
    public void markTag(String staffUserId, String externalUserId, List<String> addTagIds, List<String> removeTagIds) {
        ObjectNode b = json.createObjectNode().put("userid", staffUserId).put("external_userid", externalUserId);
        strings(b.putArray("add_tag"), addTagIds);
        strings(b.putArray("remove_tag"), removeTagIds);
        record("externalcontact/mark_tag", b);
    }

    @Override
    public String addMsgTemplate(MsgTemplate t) {
        ObjectNode b = json.createObjectNode().put("chat_type", t.chatType()).put("sender", t.sender());
        strings(b.putArray("external_userid"), t.externalUserIds());
        strings(b.putArray("chat_id_list"), t.chatIds());
        b.putObject("text").put("content", t.text());
        ArrayNode attachments = b.putArray("attachments");
        if (t.attachment() != null) {
            ObjectNode a = attachments.addObject().put("msgtype", t.attachment().kind());
            a.putObject(t.attachment().kind()).put("title", t.attachment().title()).put("url", t.attachment().url());
        }
        record("externalcontact/add_msg_template", b);
        return "msg" + ids.incrementAndGet();
    }

    @Override
    public void notifyStaff(List<String> staffUserIds, String text) {
        ObjectNode b = json.createObjectNode().put("touser", String.join("|", staffUserIds)).put("msgtype", "text");
        b.putObject("text").put("content", text);
        record("message/send", b);
    }

    @Override
    public String addMomentTask(String text, List<String> senderUserIds, List<String> tagIds) {
        ObjectNode b = json.createObjectNode();
        b.putObject("text").put("content", text);
        ObjectNode range = b.putObject("visible_range");
        strings(range.putObject("sender_list").putArray("user_list"), senderUserIds);
        strings(range.putObject("external_contact_list").putArray("tag_list"), tagIds);
        record("externalcontact/add_moment_task", b);
        return "job" + ids.incrementAndGet();
    }

    @Override
    public List<Unassigned> unassigned() {
        return List.of();
    }

    @Override
    public List<TransferOutcome> transferCustomers(String handover, String takeover, List<String> externalUserIds,
                                                   boolean resigned) {
        ObjectNode b = json.createObjectNode().put("handover_userid", handover).put("takeover_userid", takeover);
        strings(b.putArray("external_userid"), externalUserIds);
        record(resigned ? "externalcontact/resigned/transfer_customer" : "externalcontact/transfer_customer", b);
        return externalUserIds.stream().map(id -> new TransferOutcome(id, 0)).toList();
    }

    @Override
    public List<TransferStatus> transferResult(String handover, String takeover, boolean resigned) {
        return List.of();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
