package dev.siyu.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.memory.rules.Refusal;
import dev.siyu.memory.rules.StaffPageRules;
import dev.siyu.memory.rules.WeComRules;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WeCom in memory that answers like WeCom and keeps every call: as the JSON body WeCom would have
 * received (the call log the simulator's invariants read, as on the local stack), and as typed
 * records for the job tests. Corp tags get ids {@code tag-<name>} when created; transfers behave as
 * WeCom runs them for departed staff: a requested customer leaves the unassigned list and waits
 * (status 2) until {@link #settle} settles it; a refusal (3) or a takeover at their limit (5) puts the
 * customer back on the list. What WeCom refuses is refused here as on the local stack's stub: both ask the same
 * {@link WeComRules} (required fields, uploaded media and their 3 days, welcome codes, per-customer task limits).
 */
public final class RecordingWeComApi implements WeComApi, CallLog {
    public record MarkTag(String staff, String externalUserId, List<String> add, List<String> remove) { }

    public record TransferCall(String handover, String takeover, List<String> externalUserIds, boolean resigned) { }

    private static final class Transfer {
        final Unassigned from;
        final String takeover;
        int status = 2;

        Transfer(Unassigned from, String takeover) {
            this.from = from;
            this.takeover = takeover;
        }
    }

    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<MarkTag> marks = new ArrayList<>();
    private final List<MsgTemplate> templates = new ArrayList<>();
    private final WeComRules rules = new WeComRules();
    /** The Mini Program AppID cards carry (WeComSettings' local default). */
    private static final String MINIPROGRAM_APP_ID = "wx0000000000000000";
    private final List<TransferCall> transferCalls = new ArrayList<>();
    private final List<Unassigned> unassigned = new ArrayList<>();
    private final List<Transfer> transfers = new ArrayList<>();
    /** errcode the next transfer request for a customer gets, instead of 0. */
    private final Map<String, Integer> rejectNext = new HashMap<>();
    /** add_msg_template calls to fail before succeeding again. */
    private int failTemplates;
    /** add_msg_template calls WeCom accepts whose answer is then lost (errcode -1, a read time-out). */
    private int loseTemplateAnswers;
    /** message/send calls WeCom delivers whose answer is then lost. */
    private int loseNotifyAnswers;

    /** Calls are logged at this clock's time: the simulation's virtual clock. */
    public RecordingWeComApi(Clock clock) {
        this.clock = clock;
        this.groupChats = new MemoryGroupChats(clock, this::record);
    }

    private final MemoryGroupChats groupChats;

    /** The customer groups people create, join and leave in this WeCom. */
    public MemoryGroupChats groupChats() {
        return groupChats;
    }

    @Override
    public GroupChat groupChat(String chatId) {
        return groupChats.get(chatId);
    }

    @Override
    public JoinWay addJoinWay(List<String> chatIds, String state, String remark) {
        return groupChats.addJoinWay(chatIds, state, remark);
    }

    @Override
    public String addGroupWelcomeTemplate(String text) {
        return groupChats.addWelcomeTemplate(text);
    }

    @Override
    public List<GroupTransferFailure> transferGroupChats(List<String> chatIds, String newOwner, boolean resigned) {
        return groupChats.transfer(chatIds, newOwner, resigned);
    }

    // ---- the staff sidebar: OAuth codes and the agent jsapi_ticket, checked as the stub checks them ----

    private final StaffPageRules staffPage = new StaffPageRules();

    /** The rules the sidebar's WeCom calls are answered by, e.g. to issue a staff member's OAuth code. */
    public StaffPageRules staffPage() {
        return staffPage;
    }

    /** WeCom opens this staff member's app page with {@code ?code=}: the code, good once for 5 minutes. */
    public String oauthCode(String staffUserId) {
        return staffPage.issueCode(staffUserId, clock.instant());
    }

    @Override
    public OAuthIdentity oauthIdentity(String code) {
        ObjectNode b = json.createObjectNode().put("code", code);
        StaffPageRules.Identity id = staffPage.redeem(code, clock.instant());
        if (id.refusal() != null) {
            refuse("auth/getuserinfo", b, id.refusal());
        }
        record("auth/getuserinfo", b);
        return id.who();
    }

    /** Fetched from the rules on every call: callers cache it (the WxJava adapter does, for its expires_in). */
    @Override
    public String agentJsapiTicket() {
        ObjectNode b = json.createObjectNode().put("type", "agent_config");
        StaffPageRules.Ticket t = staffPage.agentTicket("agent_config", clock.instant());
        if (t.refusal() != null) {
            refuse("ticket/get", b, t.refusal());
        }
        record("ticket/get", b);
        return t.ticket();
    }

    /** For tests that read the typed records only: calls are logged at the epoch. */
    public RecordingWeComApi() {
        this(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    /** The touch id of the call in progress through a {@link #touching} view; null outside one. */
    private String currentTouch;

    private synchronized void record(String api, ObjectNode body) {
        record(api, body, 0);
    }

    private synchronized void record(String api, ObjectNode body, int errcode) {
        calls.add(new Call(clock.instant(), api, body, currentTouch, errcode));
    }

    /** The rules this API refuses by, e.g. to set the corp's per-customer task limit. */
    public WeComRules rules() {
        return rules;
    }

    /** Records the refused call and throws what the WeComApi port throws for it. */
    private void refuse(String api, ObjectNode body, Refusal r) {
        record(api, body, r.errcode());
        throw new WeComApiException(r.errcode(), r.errmsg(), null);
    }

    private void requireFields(String api, ObjectNode body) {
        Refusal r = rules.required(api, body);
        if (r != null) {
            refuse(api, body, r);
        }
    }

    @Override
    public void welcomeCodeIssued(String welcomeCode, Instant at) {
        rules.welcomeCodeIssued(welcomeCode, at);
    }

    /** media/upload with type image, checked and remembered by the rules (its id lasts 3 days). */
    @Override
    public synchronized UploadedMedia uploadImage(String fileName, byte[] bytes) {
        ObjectNode b = json.createObjectNode().put("type", "image").put("filename", fileName)
                .put("filelength", bytes == null ? 0 : bytes.length);
        WeComRules.Upload up = rules.upload("image", fileName, bytes, clock.instant());
        if (up.refusal() != null) {
            refuse("media/upload", b, up.refusal());
        }
        b.put("media_id", up.mediaId());
        record("media/upload", b);
        return new UploadedMedia(up.mediaId(), up.createdAt());
    }

    /** This API with every call recording touchId, as the stub records the X-Siyu-Touch-Id header. */
    @Override
    public WeComApi touching(String touchId) {
        return Touching.view(this, touchId);
    }

    /** Runs one call of the view with its touch id recorded; the lock keeps another caller's calls out. */
    synchronized <T> T as(String touchId, java.util.function.Supplier<T> call) {
        String outer = currentTouch;
        currentTouch = touchId;
        try {
            return call.get();
        } finally {
            currentTouch = outer;
        }
    }

    @Override
    public synchronized List<Call> drain() {
        List<Call> out = new ArrayList<>(calls);
        calls.clear();
        // The typed records are for tests, which never drain; a long simulation, which drains
        // after every step, keeps none of them.
        marks.clear();
        templates.clear();
        transferCalls.clear();
        return out;
    }

    /** unionid WeCom reports for a contact (the Open Platform account's, e.g. a Mini Program member's). */
    private final Map<String, String> unionIds = new java.util.concurrent.ConcurrentHashMap<>();

    /** From now on externalcontact/get reports this unionid for the contact. */
    public void contactUnionId(String externalUserId, String unionId) {
        unionIds.put(externalUserId, unionId);
    }

    @Override
    public ContactDetail contact(String externalUserId) {
        return new ContactDetail(externalUserId, externalUserId, "", unionIds.get(externalUserId), 1, 0);
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
        synchronized (this) {
            requireFields("externalcontact/update_contact_way", b);
            record("externalcontact/update_contact_way", b);
        }
    }

    /**
     * A welcome_code takes one welcome within 20 seconds of its event (WeCom: send_welcome_msg, errcode 41051 for a
     * code already used or expired; the stack's stub answers the same, both by {@link WeComRules}): a retried
     * callback's second welcome is refused, not delivered again.
     */
    @Override
    public synchronized void sendWelcome(String welcomeCode, String text) {
        ObjectNode b = json.createObjectNode().put("welcome_code", welcomeCode);
        b.putObject("text").put("content", text);
        Refusal r = rules.sendWelcome(b, clock.instant());
        if (r != null) {
            refuse("externalcontact/send_welcome_msg", b, r);
        }
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
        String id = "tag-" + tagName;
        tags.computeIfAbsent(groupName, g -> new LinkedHashMap<>()).put(tagName, id);
        return id;
    }

    @Override
    public synchronized void markTag(String staffUserId, String externalUserId, List<String> addTagIds,
                                     List<String> removeTagIds) {
        ObjectNode b = json.createObjectNode().put("userid", staffUserId).put("external_userid", externalUserId);
        strings(b.putArray("add_tag"), addTagIds);
        strings(b.putArray("remove_tag"), removeTagIds);
        requireFields("externalcontact/mark_tag", b);
        marks.add(new MarkTag(staffUserId, externalUserId, List.copyOf(addTagIds), List.copyOf(removeTagIds)));
        record("externalcontact/mark_tag", b);
    }

    @Override
    public synchronized String addMsgTemplate(MsgTemplate t) {
        ObjectNode b = json.createObjectNode().put("chat_type", t.chatType()).put("sender", t.sender());
        strings(b.putArray("external_userid"), t.externalUserIds());
        strings(b.putArray("chat_id_list"), t.chatIds());
        b.putObject("text").put("content", t.text());
        ArrayNode attachments = b.putArray("attachments");
        if (t.attachment() != null) {
            attachment(attachments.addObject(), t.attachment());
        }
        Refusal refused = rules.msgTemplate(b, clock.instant());
        if (refused != null) {
            refuse("externalcontact/add_msg_template", b, refused);
        }
        if (failTemplates > 0) {
            failTemplates--;
            record("externalcontact/add_msg_template", b, WeComApiException.RATE_LIMITED);
            throw new WeComApiException(WeComApiException.RATE_LIMITED, "api freq out of limit", null);
        }
        templates.add(t);
        record("externalcontact/add_msg_template", b);
        String msgid = "msg" + ids.incrementAndGet();
        // Customers at the corp's per-customer limit are WeCom's fail_list: the task never reaches them.
        List<String> reached = new ArrayList<>(t.externalUserIds());
        reached.removeAll(rules.overLimit(t.externalUserIds(), clock.instant()));
        rules.taskDelivered(reached, clock.instant());
        remember(accepted, new Accepted(msgid, clock.instant(), t.chatType(), t.sender(), t.text(),
                "group".equals(t.chatType()) ? t.chatIds() : reached));
        if (loseTemplateAnswers > 0) {
            loseTemplateAnswers--;
            throw new WeComApiException(-1, "read timed out", null);
        }
        return msgid;
    }

    @Override
    public void notifyStaff(List<String> staffUserIds, String text) {
        ObjectNode b = json.createObjectNode().put("touser", String.join("|", staffUserIds)).put("msgtype", "text")
                .put("agentid", 1000002);
        b.putObject("text").put("content", text);
        synchronized (this) {
            requireFields("message/send", b);
            record("message/send", b);
            if (loseNotifyAnswers > 0) {
                loseNotifyAnswers--;
                throw new WeComApiException(-1, "read timed out", null);
            }
        }
    }

    @Override
    public String addMomentTask(String text, List<String> senderUserIds, List<String> tagIds) {
        ObjectNode b = json.createObjectNode();
        b.putObject("text").put("content", text);
        ObjectNode range = b.putObject("visible_range");
        strings(range.putObject("sender_list").putArray("user_list"), senderUserIds);
        strings(range.putObject("external_contact_list").putArray("tag_list"), tagIds);
        synchronized (this) {
            Refusal r = rules.momentTask(b, clock.instant());
            if (r != null) {
                refuse("externalcontact/add_moment_task", b, r);
            }
            record("externalcontact/add_moment_task", b);
        }
        String job = "job" + ids.incrementAndGet();
        synchronized (this) {
            remember(accepted, new Accepted("moment-" + job, clock.instant(), "moment", null, text, senderUserIds));
        }
        return job;
    }

    // ---- reconciliation: what WeCom accepted, as its list APIs answer it ----

    /** A message task or Moments post WeCom accepted: to (customers, groups or, for a post, its senders). */
    private record Accepted(String id, Instant at, String chatType, String sender, String text, List<String> to) {
        Accepted {
            to = List.copyOf(to);
        }
    }

    /**
     * Kept as long as WeCom's lists reach back (get_groupmsg_list_v2 and get_moment_list take a window of up to a
     * month), not for ever: a long simulation would otherwise keep every send. Two days hid a campaign whose
     * intents the reconciler looked up later, and it went out twice.
     */
    private static final java.time.Duration KEPT = java.time.Duration.ofDays(31);
    private final List<Accepted> accepted = new ArrayList<>();

    private void remember(List<Accepted> list, Accepted a) {
        list.removeIf(old -> old.at().plus(KEPT).isBefore(a.at()));
        list.add(a);
    }

    /** get_groupmsg_list_v2: create_time has WeCom's second precision, as the windows compare it. */
    @Override
    public synchronized List<GroupMsg> groupMsgList(String chatType, String creator, Instant from, Instant to,
                                                    int limit) {
        List<GroupMsg> out = new ArrayList<>();
        for (Accepted a : accepted) {
            Instant created = a.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            if (out.size() == limit) {
                break;
            }
            if (a.chatType().equals(chatType) && a.sender().equals(creator) && !created.isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    && !created.isAfter(to)) {
                out.add(new GroupMsg(a.id(), a.sender(), created, a.text()));
            }
        }
        return out;
    }

    @Override
    public synchronized List<GroupMsgRecipient> groupMsgSendResult(String msgid, String sender) {
        for (Accepted a : accepted) {
            if (a.id().equals(msgid) && !"moment".equals(a.chatType())) {
                if (!a.sender().equals(sender)) {
                    return List.of();
                }
                boolean group = "group".equals(a.chatType());
                return a.to().stream().map(id -> new GroupMsgRecipient(group ? null : id, group ? id : null, sender, 0))
                        .toList();
            }
        }
        return List.of();
    }

    @Override
    public synchronized List<Moment> momentList(Instant from, Instant to, int limit) {
        List<Moment> out = new ArrayList<>();
        for (Accepted a : accepted) {
            if (out.size() == limit) {
                break;
            }
            Instant created = a.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            if ("moment".equals(a.chatType()) && !created.isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    && !created.isAfter(to)) {
                out.add(new Moment(a.id(), "", created, a.text()));
            }
        }
        return out;
    }

    // ---- the corp directory, read as with the contacts secret ----

    private final dev.siyu.memory.rules.DirectoryRules directory = new dev.siyu.memory.rules.DirectoryRules();

    /** The corp's departments and members, to add, change and remove them. */
    public dev.siyu.memory.rules.DirectoryRules directory() {
        return directory;
    }

    @Override
    public boolean readsDirectory() {
        return true;
    }

    @Override
    public synchronized List<Department> departments() {
        record("department/list", json.createObjectNode());
        return directory.departments();
    }

    @Override
    public synchronized MemberIdPage memberIds(String cursor, int limit) {
        ObjectNode b = json.createObjectNode().put("limit", limit);
        if (cursor != null && !cursor.isEmpty()) {
            b.put("cursor", cursor);
        }
        var page = directory.memberIds(cursor, limit);
        if (page.refusal() != null) {
            refuse("user/list_id", b, page.refusal());
        }
        record("user/list_id", b);
        return page.page();
    }

    @Override
    public synchronized Member member(String userId) {
        ObjectNode b = json.createObjectNode().put("userid", userId);
        var found = directory.get(userId);
        if (found.refusal() != null) {
            refuse("user/get", b, found.refusal());
        }
        record("user/get", b);
        return found.member();
    }

    @Override
    public synchronized List<Unassigned> unassigned() {
        return List.copyOf(unassigned);
    }

    @Override
    public synchronized List<TransferOutcome> transferCustomers(String handover, String takeover,
                                                                List<String> externalUserIds, boolean resigned) {
        if (externalUserIds.size() > 100) {
            throw new WeComApiException(40058, "external_userid takes at most 100 ids", null);
        }
        ObjectNode b = json.createObjectNode().put("handover_userid", handover).put("takeover_userid", takeover);
        strings(b.putArray("external_userid"), externalUserIds);
        String api = resigned ? "externalcontact/resigned/transfer_customer" : "externalcontact/transfer_customer";
        requireFields(api, b);
        transferCalls.add(new TransferCall(handover, takeover, List.copyOf(externalUserIds), resigned));
        record(api, b);
        List<TransferOutcome> out = new ArrayList<>();
        for (String ext : externalUserIds) {
            Integer reject = rejectNext.remove(ext);
            Unassigned u = unassigned.stream()
                    .filter(x -> x.externalUserId().equals(ext) && x.handoverUserId().equals(handover))
                    .findFirst().orElse(null);
            if (reject != null || u == null) {
                out.add(new TransferOutcome(ext, reject != null ? reject : 84061));
                continue;
            }
            unassigned.remove(u);
            transfers.add(new Transfer(u, takeover));
            out.add(new TransferOutcome(ext, 0));
        }
        return out;
    }

    @Override
    public synchronized List<TransferStatus> transferResult(String handover, String takeover, boolean resigned) {
        Map<String, TransferStatus> latest = new LinkedHashMap<>();
        for (Transfer t : transfers) {
            if (t.from.handoverUserId().equals(handover) && t.takeover.equals(takeover)) {
                latest.put(t.from.externalUserId(), new TransferStatus(t.from.externalUserId(), t.status,
                        t.status == 1 ? 1_772_500_000L : 0));
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** A departed member's customer appears on WeCom's unassigned list. */
    public synchronized void addUnassigned(Unassigned u) {
        unassigned.add(u);
    }

    /** WeCom settles the customer's waiting transfer with this status. */
    public synchronized void settle(String externalUserId, int status) {
        for (Transfer t : transfers) {
            if (t.status == 2 && t.from.externalUserId().equals(externalUserId)) {
                t.status = status;
                if (status == 3 || status == 5) {
                    unassigned.add(t.from);
                }
                return;
            }
        }
        throw new IllegalStateException("no waiting transfer for " + externalUserId);
    }

    /** The next transfer request for this customer is answered with errcode instead of 0. */
    public synchronized void rejectNext(String externalUserId, int errcode) {
        rejectNext.put(externalUserId, errcode);
    }

    /** The next {@code count} add_msg_template calls are accepted, then answered -1 (a read time-out). */
    public synchronized void loseTemplateAnswers(int count) {
        loseTemplateAnswers = count;
    }

    /** The next {@code count} message/send calls are delivered, then answered -1 (a read time-out). */
    public synchronized void loseNotifyAnswers(int count) {
        loseNotifyAnswers = count;
    }

    /** The next {@code count} add_msg_template calls fail with 45009 (api freq out of limit). */
    public synchronized void failTemplates(int count) {
        failTemplates = count;
    }

    /** A tag group as it already exists in the corp (name to id), before any job runs. */
    public synchronized void seedCorpTags(String groupName, Map<String, String> nameToId) {
        tags.computeIfAbsent(groupName, g -> new LinkedHashMap<>()).putAll(nameToId);
    }

    public synchronized List<MarkTag> marks() {
        return List.copyOf(marks);
    }

    public synchronized List<MsgTemplate> templates() {
        return List.copyOf(templates);
    }

    public synchronized List<TransferCall> transferCalls() {
        return List.copyOf(transferCalls);
    }

    /** Forgets the recorded tag marks and message templates, so a test checks only what comes next. */
    public synchronized void forgetMarksAndTemplates() {
        marks.clear();
        templates.clear();
    }

    /**
     * The attachment as WeCom's JSON. A Mini Program card also keeps {@code url} (the page): the simulator's
     * reports read it; WeCom ignores a field it does not know.
     */
    private static void attachment(ObjectNode into, Attachment a) {
        into.put("msgtype", a.kind());
        ObjectNode c = into.putObject(a.kind());
        switch (a.kind()) {
            case "image":
                if (a.mediaId() != null) {
                    c.put("media_id", a.mediaId());
                } else {
                    c.put("pic_url", a.url());
                }
                break;
            case "miniprogram":
                c.put("title", a.title()).put("pic_media_id", a.mediaId()).put("appid", MINIPROGRAM_APP_ID)
                        .put("page", a.url()).put("url", a.url());
                break;
            default:
                c.put("title", a.title()).put("url", a.url());
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
