package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.memory.rules.CustomerTaskLimit;
import dev.siyu.memory.rules.Refusal;
import dev.siyu.memory.rules.WeComRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the WeCom stub remembers. Every method is synchronized: the HTTP server answers on
 * several threads and tests read while calls are in flight. Injected delays are served by the
 * caller outside this lock so one slow call never blocks the others.
 */
final class StubState {

    static final int OK = 0;
    static final int SYSTEM_BUSY = -1;
    static final int INVALID_SECRET = 40001;
    static final int INVALID_CORP_ID = 40013;
    static final int INVALID_TOKEN = 40014;
    static final int INVALID_PARAMETER = 40058;
    static final int INVALID_TAG_ID = 40068;
    static final int DUPLICATE_TAG_NAME = 40071;
    static final int INVALID_EXTERNAL_USER_ID = 40096;
    static final int MISSING_TOKEN = 41001;
    static final int MISSING_CORP_ID = 41002;
    static final int MISSING_SECRET = 41004;
    static final int TOKEN_EXPIRED = 42001;
    static final int BAD_JSON = 47001;

    /** WeCom's own limit on a contact way's state (30 characters, externalcontact/add_contact_way). */
    static final int MAX_STATE_LENGTH = 30;
    static final int TOKEN_TTL_SECONDS = 7200;
    private static final Pattern TRAILING_DIGITS = Pattern.compile("(\\d{1,4})$");

    private final String corpId;
    private final String corpSecret;
    private final Clock clock;
    private final ObjectMapper json;

    private final Map<String, Instant> tokens = new LinkedHashMap<>();
    /** Tokens issued for the contacts secret: the only ones that may read the directory. */
    private final Set<String> contactsTokens = new LinkedHashSet<>();
    /** The contacts (通讯录同步) secret this corp has; null: none, no token reads the directory. */
    private String contactsSecret;
    private final List<RecordedCall> calls = new ArrayList<>();
    private final Map<String, Deque<InjectedFailure>> failures = new TreeMap<>();
    private final Map<String, StubContact> contacts = new LinkedHashMap<>();
    private final Map<String, ObjectNode> contactWays = new LinkedHashMap<>();
    private final Set<String> usedWelcomeCodes = new LinkedHashSet<>();
    private final List<ObjectNode> welcomeMessages = new ArrayList<>();
    /** media ids uploaded, oldest first (the rules keep their upload times). */
    private final List<String> media = new ArrayList<>();
    private final Map<String, TagGroup> tagGroups = new LinkedHashMap<>();
    /** external_userid -> staff userid -> tag ids, in marking order. */
    private final Map<String, Map<String, Set<String>>> relationships = new LinkedHashMap<>();
    private final StubMessaging messaging = new StubMessaging();
    /** What WeCom refuses, shared with the in-memory API (RecordingWeComApi) so the two cannot drift. */
    private final WeComRules rules = new WeComRules();
    private final StubTransfers transfers = new StubTransfers(this::moveRelationship);
    private long tokenSeq;
    private long contactWaySeq;
    private long groupSeq;
    private long tagSeq;

    StubState(String corpId, String corpSecret, Clock clock, ObjectMapper json) {
        this.corpId = corpId;
        this.corpSecret = corpSecret;
        this.clock = clock;
        this.json = json;
    }

    Instant now() {
        return clock.instant();
    }

    synchronized void reset() {
        tokens.clear();
        contactsTokens.clear();
        calls.clear();
        failures.clear();
        contacts.clear();
        contactWays.clear();
        usedWelcomeCodes.clear();
        welcomeMessages.clear();
        media.clear();
        tagGroups.clear();
        relationships.clear();
        messaging.reset();
        transfers.reset();
        rules.reset();
        tokenSeq = 0;
        contactWaySeq = 0;
        groupSeq = 0;
        tagSeq = 0;
    }

    // ---- recording and failure injection ----

    synchronized void record(RecordedCall call) {
        calls.add(call);
    }

    /** The calls recorded after the first {@code from}, for readers that follow the record as it grows. */
    synchronized List<RecordedCall> callsFrom(int from) {
        return from >= calls.size() ? List.of() : new ArrayList<>(calls.subList(Math.max(0, from), calls.size()));
    }

    synchronized List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    synchronized void failNext(String api, InjectedFailure failure) {
        Objects.requireNonNull(api, "api");
        failures.computeIfAbsent(api, k -> new ArrayDeque<>()).addLast(failure);
    }

    synchronized void clearFailures() {
        failures.clear();
    }

    /** Takes one use of the oldest failure queued for this api, or null. */
    synchronized InjectedFailure takeFailure(String api) {
        Deque<InjectedFailure> queue = failures.get(api);
        if (queue == null || queue.isEmpty()) {
            return null;
        }
        InjectedFailure head = queue.pollFirst();
        if (head.forever() || head.times() > 1) {
            queue.addFirst(head.consumedOnce());
        }
        if (queue.isEmpty()) {
            failures.remove(api);
        }
        return head;
    }

    // ---- tokens ----

    /**
     * gettoken (获取access_token, https://developer.work.weixin.qq.com/document/path/91039): corpid and corpsecret required (41002 / 41004), the corp's own
     * (40013 / 40001); the token lasts expires_in = 7200 s, after which calls answer 42001 (global codes, 90313).
     */
    synchronized ObjectNode getToken(String corpid, String secret) {
        if (corpid == null || corpid.isBlank()) {
            return error(MISSING_CORP_ID, "corpid missing");
        }
        if (secret == null || secret.isBlank()) {
            return error(MISSING_SECRET, "corpsecret missing");
        }
        if (corpId != null && !corpId.equals(corpid)) {
            return error(INVALID_CORP_ID, "invalid corpid");
        }
        boolean contacts = secret.equals(contactsSecret);
        if (corpSecret != null && !corpSecret.equals(secret) && !contacts) {
            return error(INVALID_SECRET, "invalid credential, corpsecret is invalid");
        }
        String token = "stub-token-" + (++tokenSeq) + "-" + shortHash(corpid + "/" + now().toEpochMilli() + "/" + tokenSeq);
        tokens.put(token, now().plusSeconds(TOKEN_TTL_SECONDS));
        if (contacts) {
            contactsTokens.add(token);
        }
        ObjectNode ok = ok();
        ok.put("access_token", token);
        ok.put("expires_in", TOKEN_TTL_SECONDS);
        return ok;
    }

    /** null when the token is good, otherwise the error WeCom answers with. */
    synchronized ObjectNode checkToken(String token) {
        if (token == null || token.isEmpty()) {
            return error(MISSING_TOKEN, "access_token missing");
        }
        Instant expiry = tokens.get(token);
        if (expiry == null) {
            return error(INVALID_TOKEN, "invalid access_token");
        }
        if (!now().isBefore(expiry)) {
            return error(TOKEN_EXPIRED, "access_token expired");
        }
        return null;
    }

    synchronized void contactsSecret(String secret) {
        contactsSecret = secret == null || secret.isBlank() ? null : secret;
    }

    /** Whether the token was issued for the contacts secret. */
    synchronized boolean contactsToken(String token) {
        return token != null && contactsTokens.contains(token);
    }

    synchronized void expireTokens() {
        Instant past = now().minus(Duration.ofSeconds(1));
        tokens.replaceAll((token, expiry) -> past);
    }

    // ---- external contacts ----

    synchronized void contactUnionId(String externalUserId, String unionId) {
        StubContact c = contacts.getOrDefault(externalUserId, synthesize(externalUserId));
        contacts.put(externalUserId, new StubContact(c.externalUserId(), c.name(), c.avatar(), unionId, c.gender(),
                c.followUsers()));
    }

    synchronized void registerContact(StubContact contact) {
        contacts.put(contact.externalUserId(), contact);
        for (String staff : contact.followUsers()) {
            relationships.computeIfAbsent(contact.externalUserId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(staff, k -> new LinkedHashSet<>());
        }
    }

    /**
     * externalcontact/get (获取客户详情, https://developer.work.weixin.qq.com/document/path/92114): an external_userid is required (40096).
     */
    synchronized ObjectNode getContact(String externalUserId) {
        if (externalUserId == null || externalUserId.isBlank()) {
            return error(INVALID_EXTERNAL_USER_ID, "invalid external_userid");
        }
        // A transfer whose 24 hours are up shows the takeover member among the customer's staff.
        transfers.settle(now());
        StubContact contact = contacts.getOrDefault(externalUserId, synthesize(externalUserId));
        ObjectNode ok = ok();
        ObjectNode c = ok.putObject("external_contact");
        c.put("external_userid", contact.externalUserId());
        c.put("name", contact.name());
        c.put("avatar", contact.avatar());
        c.put("type", 1);
        c.put("gender", contact.gender());
        if (contact.unionId() != null) {
            c.put("unionid", contact.unionId());
        }
        ArrayNode follow = ok.putArray("follow_user");
        for (Map.Entry<String, Set<String>> rel : relationships.getOrDefault(externalUserId, Map.of()).entrySet()) {
            ObjectNode f = follow.addObject();
            f.put("userid", rel.getKey());
            f.put("remark", "");
            f.put("description", "");
            f.put("createtime", now().getEpochSecond());
            ArrayNode tags = f.putArray("tags");
            for (String tagId : rel.getValue()) {
                TagGroup group = groupOfTag(tagId);
                if (group != null) {
                    ObjectNode t = tags.addObject();
                    t.put("group_name", group.name);
                    t.put("tag_name", group.tags.get(tagId).name);
                    t.put("tag_id", tagId);
                    t.put("type", 1);
                }
            }
            rel.getValue().forEach(f.putArray("tag_id")::add);
        }
        return ok;
    }

    /**
     * The same id always gets the same customer, so journeys replayed against a fresh stub see
     * the same names: a trailing number becomes "Customer 0001", anything else is hashed.
     */
    static StubContact synthesize(String externalUserId) {
        Matcher trailing = TRAILING_DIGITS.matcher(externalUserId);
        int number = trailing.find()
                ? Integer.parseInt(trailing.group(1))
                : Math.floorMod(hashInt(externalUserId), 10_000);
        byte[] h = sha256("unionid:" + externalUserId);
        String unionId = "o" + Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 27);
        String avatar = "https://wework.qpic.cn/wwhead/" + HexFormat.of().formatHex(h, 0, 12) + "/0";
        int gender = Math.floorMod(hashInt(externalUserId), 2) + 1;
        return new StubContact(externalUserId, String.format("Customer %04d", number), avatar, unionId, gender, List.of());
    }

    // ---- contact ways ----

    /**
     * add_contact_way (客户联系「联系我」管理, https://developer.work.weixin.qq.com/document/path/92228): type 1 (single) with exactly one user, or 2 (multi);
     * scene 1 (Mini Program) or 2 (QR code); user or party; state and remark at most 30 characters. 40058 otherwise.
     */
    synchronized ObjectNode addContactWay(JsonNode body) {
        int type = body.path("type").asInt(0);
        int scene = body.path("scene").asInt(0);
        if (type != 1 && type != 2) {
            return error(INVALID_PARAMETER, "invalid type, must be 1 (single) or 2 (multi)");
        }
        if (scene != 1 && scene != 2) {
            return error(INVALID_PARAMETER, "invalid scene, must be 1 (mini program) or 2 (qr code)");
        }
        List<String> users = strings(body.path("user"));
        List<String> parties = strings(body.path("party"));
        if (users.isEmpty() && parties.isEmpty()) {
            return error(INVALID_PARAMETER, "user and party must not both be empty");
        }
        if (type == 1 && (users.size() != 1 || !parties.isEmpty())) {
            return error(INVALID_PARAMETER, "type 1 (single) takes exactly one user");
        }
        ObjectNode invalid = validateWayText(body);
        if (invalid != null) {
            return invalid;
        }
        String configId = HexFormat.of().formatHex(md5("contact_way:" + (++contactWaySeq)));
        ObjectNode way = json.createObjectNode();
        way.put("config_id", configId);
        way.put("type", type);
        way.put("scene", scene);
        if (body.has("style")) {
            way.put("style", body.path("style").asInt());
        }
        way.put("remark", body.path("remark").asText(""));
        way.put("skip_verify", body.path("skip_verify").asBoolean(true));
        way.put("state", body.path("state").asText(""));
        users.forEach(way.putArray("user")::add);
        parties.forEach(way.putArray("party")::add);
        if (scene == 2) {
            way.put("qr_code", "https://wework.qpic.cn/wwpic/" + configId + ".png");
        }
        contactWays.put(configId, way);
        ObjectNode ok = ok();
        ok.put("config_id", configId);
        if (way.has("qr_code")) {
            ok.put("qr_code", way.get("qr_code").asText());
        }
        return ok;
    }

    synchronized ObjectNode updateContactWay(JsonNode body) {
        ObjectNode way = contactWays.get(body.path("config_id").asText(""));
        if (way == null) {
            return error(INVALID_PARAMETER, "invalid config_id");
        }
        ObjectNode invalid = validateWayText(body);
        if (invalid != null) {
            return invalid;
        }
        if (body.has("user")) {
            List<String> users = strings(body.path("user"));
            if (way.path("type").asInt() == 1 && users.size() != 1) {
                return error(INVALID_PARAMETER, "type 1 (single) takes exactly one user");
            }
            ArrayNode u = way.putArray("user");
            users.forEach(u::add);
        }
        if (body.has("party")) {
            ArrayNode p = way.putArray("party");
            strings(body.path("party")).forEach(p::add);
        }
        for (String field : List.of("remark", "state")) {
            if (body.has(field)) {
                way.put(field, body.path(field).asText(""));
            }
        }
        if (body.has("skip_verify")) {
            way.put("skip_verify", body.path("skip_verify").asBoolean());
        }
        if (body.has("style")) {
            way.put("style", body.path("style").asInt());
        }
        return ok();
    }

    /**
     * get_contact_way (https://developer.work.weixin.qq.com/document/path/92228): a config_id add_contact_way gave, else 40058.
     */
    synchronized ObjectNode getContactWay(JsonNode body) {
        ObjectNode way = contactWays.get(body.path("config_id").asText(""));
        if (way == null) {
            return error(INVALID_PARAMETER, "invalid config_id");
        }
        ObjectNode ok = ok();
        ok.set("contact_way", way.deepCopy());
        return ok;
    }

    /**
     * del_contact_way (https://developer.work.weixin.qq.com/document/path/92228): a config_id add_contact_way gave, else 40058.
     */
    synchronized ObjectNode deleteContactWay(JsonNode body) {
        if (contactWays.remove(body.path("config_id").asText("")) == null) {
            return error(INVALID_PARAMETER, "invalid config_id");
        }
        return ok();
    }

    private ObjectNode validateWayText(JsonNode body) {
        String state = body.path("state").asText("");
        if (state.length() > MAX_STATE_LENGTH) {
            return error(INVALID_PARAMETER, "invalid state, longer than " + MAX_STATE_LENGTH + " characters");
        }
        if (body.path("remark").asText("").length() > MAX_STATE_LENGTH) {
            return error(INVALID_PARAMETER, "invalid remark, longer than " + MAX_STATE_LENGTH + " characters");
        }
        return null;
    }

    // ---- welcome messages ----

    /** The rules' checks: welcome_code given less than 20 s ago and unused, content within WeCom's limits. */
    synchronized ObjectNode sendWelcome(JsonNode body) {
        Refusal refused = rules.sendWelcome(body, now());
        if (refused != null) {
            return error(refused);
        }
        String code = body.path("welcome_code").asText("");
        usedWelcomeCodes.add(code);
        boolean hasAttachments = body.path("attachments").isArray() && !body.path("attachments").isEmpty();
        ObjectNode sent = json.createObjectNode();
        sent.put("at", now().toString());
        sent.put("welcome_code", code);
        sent.set("text", body.path("text").deepCopy());
        if (hasAttachments) {
            sent.set("attachments", body.path("attachments").deepCopy());
        }
        welcomeMessages.add(sent);
        return ok();
    }

    // ---- corp tags ----

    synchronized ObjectNode corpTagList(JsonNode body) {
        Set<String> tagFilter = new LinkedHashSet<>(strings(body.path("tag_id")));
        Set<String> groupFilter = new LinkedHashSet<>(strings(body.path("group_id")));
        ObjectNode ok = ok();
        ArrayNode groups = ok.putArray("tag_group");
        for (TagGroup group : tagGroups.values()) {
            if (!groupFilter.isEmpty() && !groupFilter.contains(group.id)) {
                continue;
            }
            List<Tag> tags = new ArrayList<>();
            for (Tag tag : group.tags.values()) {
                if (tagFilter.isEmpty() || tagFilter.contains(tag.id)) {
                    tags.add(tag);
                }
            }
            if (!tagFilter.isEmpty() && tags.isEmpty()) {
                continue;
            }
            groups.add(group.toJson(tags));
        }
        return ok;
    }

    /**
     * add_corp_tag (管理企业标签, https://developer.work.weixin.qq.com/document/path/92117): tag required; a group_id that exists (40068) or a group_name; tag
     * names at most 30 characters; a name already in the group is 40071 (标签名字已经存在).
     */
    synchronized ObjectNode addCorpTag(JsonNode body) {
        List<JsonNode> newTags = new ArrayList<>();
        body.path("tag").forEach(newTags::add);
        if (newTags.isEmpty()) {
            return error(INVALID_PARAMETER, "tag must not be empty");
        }
        TagGroup group;
        String groupId = body.path("group_id").asText("");
        String groupName = body.path("group_name").asText("");
        if (!groupId.isEmpty()) {
            group = tagGroups.get(groupId);
            if (group == null) {
                return error(INVALID_TAG_ID, "invalid group_id");
            }
        } else if (!groupName.isBlank()) {
            group = tagGroups.values().stream().filter(g -> g.name.equals(groupName)).findFirst().orElse(null);
        } else {
            return error(INVALID_PARAMETER, "group_id or group_name is required");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode t : newTags) {
            String name = t.path("name").asText("");
            if (name.isBlank() || name.length() > MAX_STATE_LENGTH) {
                return error(INVALID_PARAMETER, "invalid tag name '" + name + "'");
            }
            boolean existing = group != null && group.tags.values().stream().anyMatch(x -> x.name.equals(name));
            if (existing || !names.add(name)) {
                return error(DUPLICATE_TAG_NAME, "tag name '" + name + "' already exists in the group");
            }
        }
        long created = now().getEpochSecond();
        if (group == null) {
            group = new TagGroup(String.format("etSTUBgroup%06d", ++groupSeq), groupName, created,
                    body.path("order").asLong(0));
            tagGroups.put(group.id, group);
        }
        List<Tag> added = new ArrayList<>();
        for (JsonNode t : newTags) {
            Tag tag = new Tag(String.format("etSTUBtag%08d", ++tagSeq), t.path("name").asText(), created,
                    t.path("order").asLong(0));
            group.tags.put(tag.id, tag);
            added.add(tag);
        }
        ObjectNode ok = ok();
        ok.set("tag_group", group.toJson(added));
        return ok;
    }

    /**
     * mark_tag (编辑客户企业标签, https://developer.work.weixin.qq.com/document/path/92118): userid, external_userid (40096), add_tag or remove_tag, every
     * tag id one add_corp_tag gave (40068).
     */
    synchronized ObjectNode markTag(JsonNode body) {
        String staff = body.path("userid").asText("");
        String external = body.path("external_userid").asText("");
        if (staff.isBlank()) {
            return error(INVALID_PARAMETER, "userid missing");
        }
        if (external.isBlank()) {
            return error(INVALID_EXTERNAL_USER_ID, "invalid external_userid");
        }
        List<String> add = strings(body.path("add_tag"));
        List<String> remove = strings(body.path("remove_tag"));
        if (add.isEmpty() && remove.isEmpty()) {
            return error(INVALID_PARAMETER, "add_tag and remove_tag must not both be empty");
        }
        for (String id : concat(add, remove)) {
            if (groupOfTag(id) == null) {
                return error(INVALID_TAG_ID, "invalid tag_id '" + id + "'");
            }
        }
        Set<String> marked = relationships.computeIfAbsent(external, k -> new LinkedHashMap<>())
                .computeIfAbsent(staff, k -> new LinkedHashSet<>());
        marked.addAll(add);
        remove.forEach(marked::remove);
        return ok();
    }

    private TagGroup groupOfTag(String tagId) {
        for (TagGroup g : tagGroups.values()) {
            if (g.tags.containsKey(tagId)) {
                return g;
            }
        }
        return null;
    }

    // ---- outbound messages ----

    /**
     * The rules check the content and its media first; customers at the corp's task limit join those the sender
     * does not follow in fail_list, and the others count against the limit.
     */
    synchronized ObjectNode addMsgTemplate(JsonNode body) {
        Refusal refused = rules.msgTemplate(body, now());
        if (refused != null) {
            return error(refused);
        }
        List<String> customers = strings(body.path("external_userid"));
        List<String> over = rules.overLimit(customers, now());
        ObjectNode reply = messaging.addMsgTemplate(body, now(),
                (c, sender) -> over.contains(c) || (!sender.isBlank() && knownAndNotFollowing(c, sender)));
        if (reply.path("errcode").asInt() == OK) {
            List<String> reached = new ArrayList<>(customers);
            reached.removeAll(strings(reply.path("fail_list")));
            rules.taskDelivered(reached, now());
        }
        return reply;
    }

    synchronized ObjectNode sendMessage(JsonNode body) {
        return messaging.sendMessage(body, now());
    }

    synchronized ObjectNode groupMsgListV2(JsonNode body) {
        return new StubSendRecords(messaging).groupMsgListV2(body);
    }

    synchronized ObjectNode groupMsgSendResult(JsonNode body) {
        return new StubSendRecords(messaging).groupMsgSendResult(body);
    }

    synchronized ObjectNode momentList(JsonNode body) {
        return new StubSendRecords(messaging).momentList(body);
    }

    synchronized ObjectNode addMomentTask(JsonNode body) {
        Refusal refused = rules.momentTask(body, now());
        if (refused != null) {
            return error(refused);
        }
        return messaging.addMomentTask(body, now(), tagId -> groupOfTag(tagId) != null);
    }

    /** Only customers the stub knows the staff of can be "not followed"; unknown ones are assumed reachable. */
    private boolean knownAndNotFollowing(String externalUserId, String staffUserId) {
        Map<String, Set<String>> staff = relationships.get(externalUserId);
        return staff != null && !staff.isEmpty() && !staff.containsKey(staffUserId);
    }

    // ---- rules and media ----

    /** The endpoint's required fields as WeCom documents them (see WeComRules); null when all are there. */
    ObjectNode required(String api, JsonNode body) {
        Refusal refused = rules.required(api, body);
        return refused == null ? null : error(refused);
    }

    synchronized void welcomeCodeIssued(String code, Instant at) {
        rules.welcomeCodeIssued(code, at == null ? now() : at);
    }

    void customerTaskLimit(CustomerTaskLimit limit) {
        rules.customerTaskLimit(limit);
    }

    /** media/upload: the bytes checked by the rules; the answer carries media_id and created_at. */
    synchronized ObjectNode upload(String type, String fileName, byte[] bytes) {
        WeComRules.Upload up = rules.upload(type, fileName, bytes, now());
        if (up.refusal() != null) {
            return error(up.refusal());
        }
        ObjectNode ok = ok();
        ok.put("type", type);
        ok.put("media_id", up.mediaId());
        ok.put("created_at", String.valueOf(up.createdAt().getEpochSecond()));
        media.add(up.mediaId());
        return ok;
    }

    /** media/uploadimg: the permanent URL of an image. */
    synchronized ObjectNode uploadImg(String fileName, byte[] bytes) {
        WeComRules.ImageUrl up = rules.uploadImg(fileName, bytes, now());
        if (up.refusal() != null) {
            return error(up.refusal());
        }
        ObjectNode ok = ok();
        ok.put("url", up.url());
        return ok;
    }

    // ---- customer transfers ----

    /**
     * A member leaves the company: each customer they have (a contact registered with them, or one they tagged)
     * goes to the unassigned list with the dimission time now, as WeCom lists a departed member's customers.
     * Returns how many.
     */
    synchronized int memberLeft(String staffUserId) {
        int n = 0;
        for (Map.Entry<String, Map<String, Set<String>>> rel : new ArrayList<>(relationships.entrySet())) {
            if (rel.getValue().containsKey(staffUserId)) {
                registerUnassigned(staffUserId, rel.getKey(), now());
                n++;
            }
        }
        return n;
    }

    synchronized void registerUnassigned(String handoverUserId, String externalUserId, Instant dimissionTime) {
        transfers.registerUnassigned(handoverUserId, externalUserId, dimissionTime == null ? now() : dimissionTime);
    }

    synchronized ObjectNode unassignedList(JsonNode body) {
        return transfers.unassignedList(body);
    }

    synchronized ObjectNode transferCustomer(JsonNode body, boolean resigned) {
        return transfers.transferCustomer(body, resigned, now());
    }

    synchronized ObjectNode transferResult(JsonNode body, boolean resigned) {
        return transfers.transferResult(body, resigned, now());
    }

    synchronized int completeTransfers() {
        transfers.settle(now());
        return transfers.completeAll(now());
    }

    synchronized void refuseTransfer(String externalUserId) {
        transfers.settle(now());
        transfers.refuse(externalUserId);
    }

    /** The takeover member gets the customer and the tags the handover member had marked, as in WeCom. */
    private void moveRelationship(String externalUserId, String handoverUserId, String takeoverUserId) {
        Map<String, Set<String>> staff = relationships.computeIfAbsent(externalUserId, k -> new LinkedHashMap<>());
        Set<String> tags = staff.remove(handoverUserId);
        staff.computeIfAbsent(takeoverUserId, k -> new LinkedHashSet<>()).addAll(tags == null ? Set.of() : tags);
    }

    // ---- inspection ----

    synchronized ObjectNode snapshot() {
        transfers.settle(now());
        ObjectNode s = json.createObjectNode();
        s.put("tokens", tokens.size());
        ArrayNode cs = s.putArray("contacts");
        for (StubContact c : contacts.values()) {
            ObjectNode n = cs.addObject();
            n.put("external_userid", c.externalUserId());
            n.put("name", c.name());
            n.put("avatar", c.avatar());
            n.put("unionid", c.unionId());
            n.put("gender", c.gender());
            c.followUsers().forEach(n.putArray("follow_user")::add);
        }
        ArrayNode ways = s.putArray("contact_ways");
        contactWays.values().forEach(w -> ways.add(w.deepCopy()));
        ArrayNode groups = s.putArray("tag_groups");
        tagGroups.values().forEach(g -> groups.add(g.toJson(g.tags.values())));
        ObjectNode rel = s.putObject("relationship_tags");
        relationships.forEach((ext, byStaff) -> {
            ObjectNode e = rel.putObject(ext);
            byStaff.forEach((staff, tags) -> tags.forEach(e.putArray(staff)::add));
        });
        media.forEach(s.putArray("media")::add);
        ArrayNode used = s.putArray("used_welcome_codes");
        usedWelcomeCodes.forEach(used::add);
        ArrayNode welcomes = s.putArray("welcome_messages");
        welcomeMessages.forEach(w -> welcomes.add(w.deepCopy()));
        messaging.snapshot(s);
        transfers.snapshot(s);
        ObjectNode pending = s.putObject("pending_failures");
        failures.forEach((api, queue) -> {
            ArrayNode a = pending.putArray(api);
            for (InjectedFailure f : queue) {
                ObjectNode n = a.addObject();
                n.put("errcode", f.errcode());
                n.put("http_status", f.httpStatus());
                n.put("delay_ms", f.delayMs());
                n.put("times", f.times());
            }
        });
        return s;
    }

    // ---- helpers ----

    ObjectNode ok() {
        return StubReplies.ok();
    }

    ObjectNode error(int errcode, String errmsg) {
        return StubReplies.error(errcode, errmsg);
    }

    ObjectNode error(Refusal refused) {
        return StubReplies.error(refused.errcode(), refused.errmsg());
    }

    private static List<String> strings(JsonNode array) {
        return StubReplies.strings(array);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String shortHash(String s) {
        return HexFormat.of().formatHex(sha256(s), 0, 8);
    }

    private static int hashInt(String s) {
        byte[] h = sha256(s);
        return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    }

    private static byte[] sha256(String s) {
        return digest("SHA-256", s);
    }

    private static byte[] md5(String s) {
        return digest("MD5", s);
    }

    private static byte[] digest(String algorithm, String s) {
        try {
            return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }

    private final class TagGroup {
        final String id;
        final String name;
        final long createTime;
        final long order;
        final Map<String, Tag> tags = new LinkedHashMap<>();

        TagGroup(String id, String name, long createTime, long order) {
            this.id = id;
            this.name = name;
            this.createTime = createTime;
            this.order = order;
        }

        ObjectNode toJson(Iterable<Tag> selected) {
            ObjectNode g = json.createObjectNode();
            g.put("group_id", id);
            g.put("group_name", name);
            g.put("create_time", createTime);
            g.put("order", order);
            g.put("deleted", false);
            ArrayNode ts = g.putArray("tag");
            for (Tag t : selected) {
                ObjectNode n = ts.addObject();
                n.put("id", t.id);
                n.put("name", t.name);
                n.put("create_time", t.createTime);
                n.put("order", t.order);
                n.put("deleted", false);
            }
            return g;
        }
    }

    private record Tag(String id, String name, long createTime, long order) { }
}
