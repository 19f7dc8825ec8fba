package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.memory.GroupChats;
import dev.siyu.memory.rules.WeComRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stub's customer groups: the groups people create, join and leave (the control methods, for tests and the
 * simulator, which then send the change_external_chat callback WeCom would send), and the group endpoints the
 * suite calls, refused where WeCom refuses. Each rule cites its WeCom documentation page.
 */
public final class StubGroups implements GroupChats {
    /** The group rules the in-memory WeCom enforces too (WeComRules cites their pages). */
    static final int INVALID_CHAT_ID = WeComRules.INVALID_CHAT_ID;
    /** groupchat/transfer's failed_chat_list errcode "chat is not external group chat" (document/path/92127). */
    static final int NOT_EXTERNAL_GROUP = 90501;
    static final int MAX_JOIN_WAY_CHATS = WeComRules.MAX_JOIN_WAY_CHATS;
    static final int MAX_JOIN_WAY_TEXT = WeComRules.MAX_JOIN_WAY_TEXT;
    static final int MAX_WELCOME_BYTES = WeComRules.MAX_WELCOME_BYTES;
    static final int MAX_WELCOME_TEMPLATES = WeComRules.MAX_WELCOME_TEMPLATES;
    static final int MAX_TRANSFER_CHATS = WeComRules.MAX_TRANSFER_CHATS;
    /** groupchat/get: member type 1 staff, 2 external contact (document/path/92707). */
    static final int STAFF = 1;
    static final int CUSTOMER = 2;

    private static final class Chat {
        String name;
        String owner;
        final Instant createTime;
        final Map<String, ObjectNode> members = new LinkedHashMap<>();

        Chat(String name, String owner, Instant createTime) {
            this.name = name;
            this.owner = owner;
            this.createTime = createTime;
        }
    }

    private final Supplier<Instant> clock;
    private final ObjectMapper json;
    private final Map<String, Chat> chats = new LinkedHashMap<>();
    private final Map<String, ObjectNode> joinWays = new LinkedHashMap<>();
    private final Map<String, ObjectNode> welcomeTemplates = new LinkedHashMap<>();
    private long seq;

    StubGroups(Supplier<Instant> clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    public StubGroups(Clock clock) {
        this(clock::instant, new ObjectMapper());
    }

    // ---- what people do in WeCom (control) ----

    /** A staff member creates a customer group; the owner is its first member. */
    @Override
    public synchronized void create(String chatId, String name, String owner) {
        Instant now = clock.get();
        Chat c = chats.computeIfAbsent(chatId, k -> new Chat(name, owner, now));
        c.members.putIfAbsent(owner, member(owner, STAFF, now, 1));
    }

    /** A customer joins (join_scene 1 invited, 2 by an invite link, 3 by the group's QR code). */
    @Override
    public synchronized void join(String chatId, String externalUserId, int joinScene) {
        chat(chatId).members.putIfAbsent(externalUserId, member(externalUserId, CUSTOMER, clock.get(), joinScene));
    }

    @Override
    public synchronized void leave(String chatId, String externalUserId) {
        chat(chatId).members.remove(externalUserId);
    }

    /** The group a join way's QR code leads to, or null: what a customer who scans it joins. */
    @Override
    public synchronized String chatOfQr(String qrCode) {
        for (ObjectNode way : joinWays.values()) {
            if (way.path("qr_code").asText("").equals(qrCode) && way.path("chat_id_list").size() > 0) {
                return way.path("chat_id_list").get(0).asText();
            }
        }
        return null;
    }

    public synchronized String owner(String chatId) {
        return chat(chatId).owner;
    }

    public synchronized int welcomeTemplates() {
        return welcomeTemplates.size();
    }

    synchronized void reset() {
        chats.clear();
        joinWays.clear();
        welcomeTemplates.clear();
        seq = 0;
    }

    private Chat chat(String chatId) {
        Chat c = chats.get(chatId);
        if (c == null) {
            throw new IllegalArgumentException("no customer group " + chatId);
        }
        return c;
    }

    private ObjectNode member(String userId, int type, Instant at, int scene) {
        ObjectNode m = json.createObjectNode();
        m.put("userid", userId);
        m.put("type", type);
        m.put("join_time", at.getEpochSecond());
        m.put("join_scene", scene);
        return m;
    }

    // ---- the API ----

    /** The answer to a group endpoint, or null when api is not one of them. */
    ObjectNode dispatch(String api, JsonNode body) {
        switch (api) {
            case "externalcontact/groupchat/get":
                return get(body);
            case "externalcontact/groupchat/add_join_way":
                return addJoinWay(body);
            case "externalcontact/groupchat/get_join_way":
                return getJoinWay(body);
            case "externalcontact/group_welcome_template/add":
                return addWelcomeTemplate(body);
            case "externalcontact/groupchat/transfer":
                return transfer(body);
            case "externalcontact/groupchat/onjob_transfer":
                return transfer(body);
            default:
                return null;
        }
    }

    /** groupchat/get: chat_id required; an unknown one is 40050 (document/path/92707). */
    synchronized ObjectNode get(JsonNode body) {
        String chatId = body.path("chat_id").asText("");
        if (chatId.isBlank()) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "chat_id missing");
        }
        Chat c = chats.get(chatId);
        if (c == null) {
            return StubReplies.error(INVALID_CHAT_ID, "invalid chat_id");
        }
        ObjectNode ok = StubReplies.ok();
        ObjectNode g = ok.putObject("group_chat");
        g.put("chat_id", chatId);
        g.put("name", c.name);
        g.put("owner", c.owner);
        g.put("create_time", c.createTime.getEpochSecond());
        g.put("notice", "");
        ArrayNode members = g.putArray("member_list");
        c.members.values().forEach(m -> members.add(m.deepCopy()));
        g.putArray("admin_list");
        // WeCom's member_version changes whenever the member list does.
        g.put("member_version", Integer.toHexString(c.members.keySet().hashCode()));
        return ok;
    }

    /**
     * add_join_way (document/path/92229): scene 1 (Mini Program) or 2 (QR code); chat_id_list 1 to 5 groups, each
     * a customer group of the corp; state at most 30 characters; the remark is cut at 30.
     */
    synchronized ObjectNode addJoinWay(JsonNode body) {
        int scene = body.path("scene").asInt(0);
        if (scene != 1 && scene != 2) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "invalid scene, must be 1 or 2");
        }
        List<String> chatIds = StubReplies.strings(body.path("chat_id_list"));
        if (chatIds.isEmpty() || chatIds.size() > MAX_JOIN_WAY_CHATS) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER,
                    "chat_id_list must hold 1 to " + MAX_JOIN_WAY_CHATS + " chat ids");
        }
        for (String chatId : chatIds) {
            if (!chats.containsKey(chatId)) {
                return StubReplies.error(INVALID_CHAT_ID, "invalid chat_id " + chatId);
            }
        }
        String state = body.path("state").asText("");
        if (state.codePointCount(0, state.length()) > MAX_JOIN_WAY_TEXT) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "state longer than " + MAX_JOIN_WAY_TEXT);
        }
        String remark = body.path("remark").asText("");
        if (remark.codePointCount(0, remark.length()) > MAX_JOIN_WAY_TEXT) {
            remark = remark.substring(0, remark.offsetByCodePoints(0, MAX_JOIN_WAY_TEXT));
        }
        String configId = "jw" + HexFormat.of().toHexDigits(++seq);
        ObjectNode way = json.createObjectNode();
        way.put("config_id", configId);
        way.put("scene", scene);
        way.put("remark", remark);
        way.put("auto_create_room", body.path("auto_create_room").asInt(1));
        ArrayNode list = way.putArray("chat_id_list");
        chatIds.forEach(list::add);
        if (!state.isEmpty()) {
            way.put("state", state);
        }
        if (scene == 2) {
            way.put("qr_code", "https://wework.qpic.cn/wwpic/joinway/" + configId + ".png");
        }
        joinWays.put(configId, way);
        ObjectNode ok = StubReplies.ok();
        ok.put("config_id", configId);
        return ok;
    }

    /** get_join_way (document/path/92229): the config as stored, with its qr_code. */
    synchronized ObjectNode getJoinWay(JsonNode body) {
        ObjectNode way = joinWays.get(body.path("config_id").asText(""));
        if (way == null) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "invalid config_id");
        }
        ObjectNode ok = StubReplies.ok();
        ok.set("join_way", way.deepCopy());
        return ok;
    }

    /**
     * group_welcome_template/add (document/path/92366): text or an attachment; text.content at most 3000 bytes;
     * at most 100 templates in the corp's library. Answers template_id.
     */
    synchronized ObjectNode addWelcomeTemplate(JsonNode body) {
        String text = body.path("text").path("content").asText("");
        boolean attachment = List.of("image", "link", "miniprogram", "file", "video").stream().anyMatch(body::has);
        if (text.isEmpty() && !attachment) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "text and attachments must not both be empty");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_WELCOME_BYTES) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "text.content over " + MAX_WELCOME_BYTES + " bytes");
        }
        if (welcomeTemplates.size() >= MAX_WELCOME_TEMPLATES) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER,
                    "the group welcome template library holds " + MAX_WELCOME_TEMPLATES + " already");
        }
        String id = "gwt" + HexFormat.of().toHexDigits(++seq);
        welcomeTemplates.put(id, ((ObjectNode) body).deepCopy());
        ObjectNode ok = StubReplies.ok();
        ok.put("template_id", id);
        return ok;
    }

    /**
     * groupchat/transfer (resigned owner, document/path/92127) and onjob_transfer (document/path/95703):
     * chat_id_list 1 to 100, new_owner required; a group that is not a customer group of the corp is in
     * failed_chat_list with 90501; the others get the new owner.
     */
    synchronized ObjectNode transfer(JsonNode body) {
        List<String> chatIds = StubReplies.strings(body.path("chat_id_list"));
        String newOwner = body.path("new_owner").asText("");
        if (chatIds.isEmpty() || chatIds.size() > MAX_TRANSFER_CHATS) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER,
                    "chat_id_list must hold 1 to " + MAX_TRANSFER_CHATS + " chat ids");
        }
        if (newOwner.isBlank()) {
            return StubReplies.error(StubReplies.INVALID_PARAMETER, "new_owner missing");
        }
        ObjectNode ok = StubReplies.ok();
        ArrayNode failed = ok.putArray("failed_chat_list");
        for (String chatId : chatIds) {
            Chat c = chats.get(chatId);
            if (c == null) {
                ObjectNode f = failed.addObject();
                f.put("chat_id", chatId);
                f.put("errcode", NOT_EXTERNAL_GROUP);
                f.put("errmsg", "chat is not external group chat");
                continue;
            }
            c.owner = newOwner;
            c.members.putIfAbsent(newOwner, member(newOwner, STAFF, clock.get(), 1));
        }
        return ok;
    }
}
