package dev.siyu.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.port.WeComApi.GroupChat;
import dev.siyu.core.port.WeComApi.GroupChatMember;
import dev.siyu.core.port.WeComApi.GroupTransferFailure;
import dev.siyu.core.port.WeComApi.JoinWay;
import dev.siyu.core.port.WeComApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WeCom's customer groups in memory, for {@link RecordingWeComApi}: the groups the simulation's people create,
 * join and leave, and what the suite asks of them (groupchat/get, add_join_way, the group welcome template,
 * group transfers), refused as WeCom refuses them. The same rules as the local stack's stub (StubGroups),
 * which cites WeCom's documentation for each.
 */
public final class MemoryGroupChats implements GroupChats {
    /** WeCom: chat id unknown (global error codes, developer.work.weixin.qq.com/document/path/90313). */
    public static final int INVALID_CHAT_ID = 40050;
    public static final int INVALID_PARAMETER = 40058;
    /** groupchat/transfer's failed_chat_list: "chat is not external group chat". */
    public static final int NOT_EXTERNAL_GROUP = 90501;
    // WeCom's group rules, as the stub enforces them (WeComRules cites their pages).
    static final int MAX_JOIN_WAY_CHATS = dev.siyu.memory.rules.WeComRules.MAX_JOIN_WAY_CHATS;
    static final int MAX_TRANSFER_CHATS = dev.siyu.memory.rules.WeComRules.MAX_TRANSFER_CHATS;
    static final int MAX_WELCOME_TEMPLATES = dev.siyu.memory.rules.WeComRules.MAX_WELCOME_TEMPLATES;
    static final int MAX_WELCOME_BYTES = dev.siyu.memory.rules.WeComRules.MAX_WELCOME_BYTES;

    /** Records a call as RecordingWeComApi does: the JSON WeCom would receive, and its errcode. */
    interface Recorder {
        void record(String api, ObjectNode body, int errcode);
    }

    private static final class Chat {
        String name;
        String owner;
        final Instant createTime;
        final Map<String, GroupChatMember> members = new LinkedHashMap<>();

        Chat(String name, String owner, Instant createTime) {
            this.name = name;
            this.owner = owner;
            this.createTime = createTime;
        }
    }

    private final Clock clock;
    private final Recorder recorder;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Chat> chats = new LinkedHashMap<>();
    private final Map<String, List<String>> joinWays = new LinkedHashMap<>();
    private final Map<String, String> welcomeTemplates = new LinkedHashMap<>();
    private long seq;

    MemoryGroupChats(Clock clock, Recorder recorder) {
        this.clock = clock;
        this.recorder = recorder;
    }

    // ---- what people do in WeCom ----

    /** A staff member creates a customer group (the owner is in it, as staff). */
    @Override
    public synchronized void create(String chatId, String name, String owner) {
        Instant now = clock.instant();
        Chat c = chats.computeIfAbsent(chatId, k -> new Chat(name, owner, now));
        c.members.putIfAbsent(owner, new GroupChatMember(owner, GroupChatMember.STAFF, now, 1));
    }

    /** A customer joins (scene 3: by the group's QR code); joining again changes nothing. */
    @Override
    public synchronized void join(String chatId, String externalUserId, int joinScene) {
        chat(chatId).members.putIfAbsent(externalUserId,
                new GroupChatMember(externalUserId, GroupChatMember.CUSTOMER, clock.instant(), joinScene));
    }

    @Override
    public synchronized void leave(String chatId, String externalUserId) {
        chat(chatId).members.remove(externalUserId);
    }

    /** The chat whose join way has this QR code, or null. */
    @Override
    public synchronized String chatOfQr(String qrCode) {
        return joinWays.entrySet().stream().filter(e -> qr(e.getKey()).equals(qrCode))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    public synchronized String owner(String chatId) {
        return chat(chatId).owner;
    }

    private Chat chat(String chatId) {
        Chat c = chats.get(chatId);
        if (c == null) {
            throw new IllegalArgumentException("no customer group " + chatId);
        }
        return c;
    }

    // ---- the API ----

    synchronized GroupChat get(String chatId) {
        ObjectNode b = json.createObjectNode().put("chat_id", chatId);
        Chat c = chats.get(chatId);
        if (c == null) {
            throw refused("externalcontact/groupchat/get", b, INVALID_CHAT_ID, "invalid chat_id");
        }
        recorder.record("externalcontact/groupchat/get", b, 0);
        return new GroupChat(chatId, c.name, c.owner, c.createTime, List.copyOf(c.members.values()));
    }

    synchronized JoinWay addJoinWay(List<String> chatIds, String state, String remark) {
        ObjectNode b = json.createObjectNode().put("scene", 2);
        chatIds.forEach(b.putArray("chat_id_list")::add);
        if (remark != null) {
            b.put("remark", remark);
        }
        if (state != null) {
            b.put("state", state);
        }
        if (chatIds.isEmpty() || chatIds.size() > MAX_JOIN_WAY_CHATS) {
            throw refused("externalcontact/groupchat/add_join_way", b, INVALID_PARAMETER,
                    "chat_id_list takes 1 to " + MAX_JOIN_WAY_CHATS + " groups");
        }
        for (String chatId : chatIds) {
            if (!chats.containsKey(chatId)) {
                throw refused("externalcontact/groupchat/add_join_way", b, INVALID_CHAT_ID, "invalid chat_id " + chatId);
            }
        }
        String configId = "jw" + (++seq);
        joinWays.put(configId, List.copyOf(chatIds));
        recorder.record("externalcontact/groupchat/add_join_way", b, 0);
        recorder.record("externalcontact/groupchat/get_join_way", json.createObjectNode().put("config_id", configId), 0);
        return new JoinWay(configId, qr(configId));
    }

    synchronized String addWelcomeTemplate(String text) {
        ObjectNode b = json.createObjectNode().put("notify", 1);
        b.putObject("text").put("content", text);
        if (text == null || text.isBlank() || text.getBytes(StandardCharsets.UTF_8).length > MAX_WELCOME_BYTES) {
            throw refused("externalcontact/group_welcome_template/add", b, INVALID_PARAMETER,
                    "text.content must be 1 to " + MAX_WELCOME_BYTES + " bytes");
        }
        if (welcomeTemplates.size() >= MAX_WELCOME_TEMPLATES) {
            throw refused("externalcontact/group_welcome_template/add", b, INVALID_PARAMETER,
                    "the corp holds " + MAX_WELCOME_TEMPLATES + " group welcome templates already");
        }
        String id = "gwt" + (++seq);
        welcomeTemplates.put(id, text);
        recorder.record("externalcontact/group_welcome_template/add", b, 0);
        return id;
    }

    synchronized List<GroupTransferFailure> transfer(List<String> chatIds, String newOwner, boolean resigned) {
        String api = resigned ? "externalcontact/groupchat/transfer" : "externalcontact/groupchat/onjob_transfer";
        ObjectNode b = json.createObjectNode().put("new_owner", newOwner == null ? "" : newOwner);
        chatIds.forEach(b.putArray("chat_id_list")::add);
        if (chatIds.isEmpty() || chatIds.size() > MAX_TRANSFER_CHATS || newOwner == null || newOwner.isBlank()) {
            throw refused(api, b, INVALID_PARAMETER, "chat_id_list takes 1 to " + MAX_TRANSFER_CHATS
                    + " groups and new_owner is required");
        }
        List<GroupTransferFailure> failed = new ArrayList<>();
        for (String chatId : chatIds) {
            Chat c = chats.get(chatId);
            if (c == null) {
                failed.add(new GroupTransferFailure(chatId, NOT_EXTERNAL_GROUP));
                continue;
            }
            c.owner = newOwner;
            c.members.putIfAbsent(newOwner, new GroupChatMember(newOwner, GroupChatMember.STAFF, clock.instant(), 1));
        }
        recorder.record(api, b, 0);
        return failed;
    }

    private WeComApiException refused(String api, ObjectNode body, int errcode, String message) {
        recorder.record(api, body, errcode);
        return new WeComApiException(errcode, api + ": " + message, null);
    }

    private static String qr(String configId) {
        return "https://wework.qpic.cn/wwpic/joinway/" + configId;
    }
}
