package dev.siyu.wecom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.AccessTokenCache;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.bean.external.WxCpAddMomentResult;
import me.chanjar.weixin.cp.bean.external.WxCpAddMomentTask;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayInfo;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayResult;
import me.chanjar.weixin.cp.bean.external.WxCpGetMomentList;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupInfo;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplate;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplateAddResult;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupList;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalUnassignList;
import me.chanjar.weixin.cp.bean.external.WxCpUserTransferCustomerReq;
import me.chanjar.weixin.cp.bean.external.WxCpUserTransferCustomerResp;
import me.chanjar.weixin.cp.bean.external.WxCpUserTransferResultResp;
import me.chanjar.weixin.cp.bean.external.WxCpWelcomeMsg;
import me.chanjar.weixin.cp.bean.external.contact.ExternalContact;
import me.chanjar.weixin.cp.bean.external.contact.WxCpExternalContactInfo;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgListResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgSendResult;
import me.chanjar.weixin.cp.bean.external.moment.ExternalContactList;
import me.chanjar.weixin.cp.bean.external.moment.MomentInfo;
import me.chanjar.weixin.cp.bean.external.moment.SenderList;
import me.chanjar.weixin.cp.bean.external.moment.VisibleRange;
import me.chanjar.weixin.cp.bean.external.msg.Text;
import me.chanjar.weixin.cp.bean.message.WxCpMessage;
import me.chanjar.weixin.cp.bean.message.WxCpMessageSendResult;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.cp.constant.WxCpApiPathConsts;

/**
 * {@link WeComApi} on WxJava's WxCpService: each method maps one port call onto its WeCom endpoint.
 * Every endpoint call goes through the one {@link WeComRetryPolicy}, so what still fails surfaces as
 * {@link WeComApiException} with WeCom's errcode, or -1 for transport failures.
 */
public final class WxJavaWeComApi implements WeComApi, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WxJavaWeComApi.class.getName());
    private static final int SYSTEM_BUSY = WeComRetryPolicy.SYSTEM_BUSY;
    private static final int DUPLICATE_TAG_NAME = 40071;
    private static final String CHAT_SINGLE = "single";
    private static final String CHAT_GROUP = "group";
    /** WeCom's limits per call. */
    static final int MAX_TEMPLATE_CUSTOMERS = 10_000;
    static final int MAX_NOTIFY_USERS = 1000;
    static final int MAX_TRANSFER_CUSTOMERS = 100;
    static final int UNASSIGNED_PAGE_SIZE = 1000;
    /** WeCom's page limits: get_groupmsg_list_v2 100, get_moment_list 20, get_groupmsg_send_result 1000. */
    static final int GROUP_MSG_PAGE_SIZE = 100;
    static final int MOMENT_PAGE_SIZE = 20;
    static final int SEND_RESULT_PAGE_SIZE = 1000;

    private final WeComSettings settings;
    private final WxCpDefaultConfigImpl config;
    private final DeadlineHttpClient http;
    private final WxCpService service;
    private final WeComRetryPolicy retry;
    private final ObjectMapper json = new ObjectMapper();
    /** The touch id this view's calls carry (see {@link #touching}); null for the API itself. */
    private final String touchId;
    /** The directory reads, on the contacts secret's own token; null without a contacts secret. */
    private final WxDirectory directory;

    /** An instance with its own access token (the local tools, the tests). */
    public WxJavaWeComApi(WeComSettings settings) {
        this(settings, null);
    }

    /**
     * @param sharedToken the access token every instance shares (AWS: one DynamoDB item), so gettoken is
     *                    called once per token lifetime, not once per instance; null for an own token
     */
    public WxJavaWeComApi(WeComSettings settings, AccessTokenCache sharedToken) {
        this(settings, sharedToken, null);
    }

    /**
     * @param sharedContactsToken the contacts secret's access token every instance shares (a second cache key,
     *                            {@link WeComSettings#contactsAccessTokenKey()}); null for an own token
     */
    public WxJavaWeComApi(WeComSettings settings, AccessTokenCache sharedToken, AccessTokenCache sharedContactsToken) {
        this(settings, sharedToken, sharedContactsToken, null);
    }

    /**
     * @param sharedTicket the agent jsapi_ticket every instance shares (the staff sidebar signs wx.agentConfig
     *                     with it; WeCom allows 100 fetches an hour per app); null for an own ticket. Only with
     *                     a shared token.
     */
    public WxJavaWeComApi(WeComSettings settings, AccessTokenCache sharedToken, AccessTokenCache sharedContactsToken,
                          AccessTokenCache sharedTicket) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.secret().isBlank()) {
            throw new IllegalArgumentException("WeCom API calls need the secret of the customer-contact app");
        }
        this.http = new DeadlineHttpClient((int) settings.retry().callBudget().toMillis());
        this.config = sharedToken == null ? new WxCpDefaultConfigImpl()
                : new SharedTokenConfig(sharedToken, sharedTicket, java.time.Clock.systemUTC());
        config.setCorpId(settings.corpId());
        config.setCorpSecret(settings.secret());
        config.setToken(settings.token());
        config.setAesKey(settings.aesKey());
        settings.agentId().ifPresent(config::setAgentId);
        config.setBaseApiUrl(settings.baseUrl());
        config.setApacheHttpClientBuilder(new FixedHttpClientBuilder(http));
        SingleAttemptWxCpService wx = new SingleAttemptWxCpService();
        wx.setWxCpConfigStorage(config);
        this.service = wx;
        this.retry = new WeComRetryPolicy(settings.retry(), http, config::expireAccessToken, LOG);
        this.touchId = null;
        this.directory = settings.contactsSecret().isPresent() ? new WxDirectory(settings, http, sharedContactsToken)
                : null;
    }

    /** A view sharing the client, token and policy, whose requests carry the touch id. */
    private WxJavaWeComApi(WxJavaWeComApi api, String touchId) {
        this.settings = api.settings;
        this.config = api.config;
        this.http = api.http;
        this.service = api.service;
        this.retry = api.retry;
        this.touchId = touchId;
        this.directory = api.directory;
    }

    /** Every request of the view carries {@value WeComApi#TOUCH_ID_HEADER}: WeCom ignores it, the stub records it. */
    @Override
    public WeComApi touching(String touchId) {
        requireText(touchId, "touchId");
        return new WxJavaWeComApi(this, touchId);
    }

    @Override
    public ContactDetail contact(String externalUserId) {
        requireText(externalUserId, "externalUserId");
        // WxJava appends the id to the URL as is; an id is [A-Za-z0-9_-] but a stray '&' would inject.
        String id = URLEncoder.encode(externalUserId, StandardCharsets.UTF_8);
        WxCpExternalContactInfo info = call("externalcontact/get",
                () -> service.getExternalContactService().getContactDetail(id, null));
        ExternalContact c = info == null ? null : info.getExternalContact();
        if (c == null) {
            throw new WeComApiException(SYSTEM_BUSY, "externalcontact/get answered without external_contact", null);
        }
        return new ContactDetail(c.getExternalUserId(), c.getName(), c.getAvatar(), c.getUnionId(),
                orZero(c.getType()), orZero(c.getGender()), WxGroupChats.staffTags(info));
    }

    // ---- the staff sidebar: OAuth and the JS-SDK's agent ticket ----

    /**
     * auth/getuserinfo through WxJava's WxCpOAuth2Service.getAuthUserInfo (获取访问用户身份,
     * https://developer.work.weixin.qq.com/document/path/91023). A code is good once: if an attempt's answer is
     * lost and the policy retries, WeCom answers 40029 and the page asks the staff member to open it again.
     */
    @Override
    public OAuthIdentity oauthIdentity(String code) {
        requireText(code, "code");
        // WxJava formats the code into the URL as is; a code is URL-safe, a stray '&' would inject.
        String encoded = URLEncoder.encode(code, StandardCharsets.UTF_8);
        me.chanjar.weixin.cp.bean.WxCpOauth2UserInfo info = call("auth/getuserinfo",
                () -> service.getOauth2Service().getAuthUserInfo(encoded));
        if (info == null) {
            throw new WeComApiException(SYSTEM_BUSY, "auth/getuserinfo answered nothing", null);
        }
        return new OAuthIdentity(info.getUserId(), info.getOpenId());
    }

    /**
     * ticket/get?type=agent_config through WxCpService.getAgentJsapiTicket, which keeps the ticket until 200 s
     * before its expires_in (7200 s): in this instance's config, and with a shared ticket cache for every instance
     * (document/path/90506 limits an app to 100 fetches an hour).
     */
    @Override
    public String agentJsapiTicket() {
        return call("ticket/get", () -> service.getAgentJsapiTicket());
    }

    @Override
    public ContactWay addContactWay(List<String> staffUserIds, String state, String remark) {
        requireStaff(staffUserIds);
        WxCpContactWayInfo.ContactWay way = new WxCpContactWayInfo.ContactWay();
        way.setType(staffUserIds.size() == 1 ? WxCpContactWayInfo.TYPE.SINGLE : WxCpContactWayInfo.TYPE.MULTI);
        way.setScene(WxCpContactWayInfo.SCENE.QRCODE);
        way.setState(state);
        way.setRemark(remark);
        way.setSkipVerify(Boolean.TRUE);
        way.setUsers(List.copyOf(staffUserIds));
        WxCpContactWayInfo info = new WxCpContactWayInfo();
        info.setContactWay(way);
        WxCpContactWayResult r = call("externalcontact/add_contact_way",
                () -> service.getExternalContactService().addContactWay(info));
        return new ContactWay(r.getConfigId(), r.getQrCode());
    }

    /**
     * Posted as our own JSON: WxJava's ContactWay bean always carries skip_verify, is_temp and
     * is_exclusive defaults, which would silently reset those settings on every re-route.
     */
    @Override
    public void updateContactWay(String configId, List<String> staffUserIds, String state) {
        requireText(configId, "configId");
        requireStaff(staffUserIds);
        ObjectNode body = json.createObjectNode();
        body.put("config_id", configId);
        staffUserIds.forEach(body.putArray("user")::add);
        if (state != null) {
            body.put("state", state);
        }
        String url = config.getApiUrl(WxCpApiPathConsts.ExternalContact.UPDATE_CONTACT_WAY);
        call("externalcontact/update_contact_way", () -> service.post(url, toJson(body)));
    }

    @Override
    public void sendWelcome(String welcomeCode, String text) {
        requireText(welcomeCode, "welcomeCode");
        requireText(text, "text");
        Text content = new Text();
        content.setContent(text);
        WxCpWelcomeMsg msg = WxCpWelcomeMsg.builder().welcomeCode(welcomeCode).text(content).build();
        call("externalcontact/send_welcome_msg", () -> {
            service.getExternalContactService().sendWelcomeMsg(msg);
            return null;
        });
    }

    /**
     * media/upload, type image (WxJava's WxCpMediaService.upload): the file name's extension is its format. The id lasts
     * 3 days from created_at (上传临时素材, https://developer.work.weixin.qq.com/document/path/90253). An upload is
     * harmless to repeat, so the retry policy may retry it.
     */
    @Override
    public UploadedMedia uploadImage(String fileName, byte[] bytes) {
        requireText(fileName, "fileName");
        Objects.requireNonNull(bytes, "bytes");
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "png" : fileName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        // WxJava's InputStream upload writes its temp file with commons-io, which the function leaves out; its
        // File upload does not, so the temp file is ours (a few KB in /tmp, deleted at once).
        java.nio.file.Path file;
        try {
            file = java.nio.file.Files.createTempFile("siyu-media-", "." + ext);
            java.nio.file.Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot stage the picture " + fileName + " for upload", e);
        }
        me.chanjar.weixin.common.bean.result.WxMediaUploadResult r;
        try {
            r = call("media/upload", () -> service.getMediaService().upload("image", file.toFile()));
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, JsonLog.line("deleting a staged picture failed", "error", e.toString()), e);
            }
        }
        String id = required(r.getMediaId(), "media/upload", "media_id");
        return new UploadedMedia(id, r.getCreatedAt() > 0 ? Instant.ofEpochSecond(r.getCreatedAt()) : null);
    }

    @Override
    public Map<String, Map<String, String>> corpTags() {
        WxCpUserExternalTagGroupList list = call("externalcontact/get_corp_tag_list",
                () -> service.getExternalContactService().getCorpTagList(null));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (list.getTagGroupList() == null) {
            return out;
        }
        for (WxCpUserExternalTagGroupList.TagGroup group : list.getTagGroupList()) {
            if (Boolean.TRUE.equals(group.getDeleted())) {
                continue;
            }
            Map<String, String> tags = out.computeIfAbsent(group.getGroupName(), k -> new LinkedHashMap<>());
            if (group.getTag() != null) {
                for (WxCpUserExternalTagGroupList.TagGroup.Tag tag : group.getTag()) {
                    if (!Boolean.TRUE.equals(tag.getDeleted())) {
                        tags.put(tag.getName(), tag.getId());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Idempotent: when the tag already exists (40071, e.g. another invocation created it a moment
     * ago) its id is looked up and returned, since "this tag exists" is what callers want.
     */
    @Override
    public String addCorpTag(String groupName, String tagName) {
        requireText(groupName, "groupName");
        requireText(tagName, "tagName");
        WxCpUserExternalTagGroupInfo.Tag tag = new WxCpUserExternalTagGroupInfo.Tag();
        tag.setName(tagName);
        WxCpUserExternalTagGroupInfo.TagGroup group = new WxCpUserExternalTagGroupInfo.TagGroup();
        group.setGroupName(groupName);
        group.setTag(List.of(tag));
        WxCpUserExternalTagGroupInfo request = new WxCpUserExternalTagGroupInfo();
        request.setTagGroup(group);
        WxCpUserExternalTagGroupInfo created;
        try {
            created = call("externalcontact/add_corp_tag", () -> service.getExternalContactService().addCorpTag(request));
        } catch (WeComApiException e) {
            if (e.errcode() == DUPLICATE_TAG_NAME) {
                String existing = corpTags().getOrDefault(groupName, Map.of()).get(tagName);
                if (existing != null) {
                    return existing;
                }
            }
            throw e;
        }
        if (created.getTagGroup() != null && created.getTagGroup().getTag() != null) {
            for (WxCpUserExternalTagGroupInfo.Tag t : created.getTagGroup().getTag()) {
                if (tagName.equals(t.getName())) {
                    return t.getId();
                }
            }
        }
        throw new WeComApiException(SYSTEM_BUSY, "add_corp_tag answered without the tag '" + tagName + "'", null);
    }

    @Override
    public void markTag(String staffUserId, String externalUserId, List<String> addTagIds, List<String> removeTagIds) {
        requireText(staffUserId, "staffUserId");
        requireText(externalUserId, "externalUserId");
        String[] add = addTagIds == null ? new String[0] : addTagIds.toArray(String[]::new);
        String[] remove = removeTagIds == null ? new String[0] : removeTagIds.toArray(String[]::new);
        if (add.length == 0 && remove.length == 0) {
            return;
        }
        call("externalcontact/mark_tag",
                () -> service.getExternalContactService().markTag(staffUserId, externalUserId, add, remove));
    }

    /**
     * A task the sender confirms in WeCom (the outreach red line: no silent automated private messages). WeCom
     * reads an empty customer list as "all of the sender's customers", so a single-chat task must
     * name its customers; a group task without chat ids goes to every group the sender owns, as
     * the port says. WeCom offers no idempotency key, so an attempt whose answer was lost is not retried
     * (see {@link WeComRetryPolicy}): the caller reconciles it through {@link #groupMsgList}.
     */
    @Override
    public String addMsgTemplate(MsgTemplate template) {
        Objects.requireNonNull(template, "template");
        boolean group = CHAT_GROUP.equals(template.chatType());
        if (!group && !CHAT_SINGLE.equals(template.chatType())) {
            throw new IllegalArgumentException("chatType must be single or group, was " + template.chatType());
        }
        if (group) {
            requireText(template.sender(), "sender (the group owner)");
        } else if (template.externalUserIds().isEmpty()) {
            throw new IllegalArgumentException("a single-chat task needs its customers: WeCom reads none as all of "
                    + "the sender's customers");
        } else if (template.externalUserIds().size() > MAX_TEMPLATE_CUSTOMERS) {
            throw new IllegalArgumentException("at most " + MAX_TEMPLATE_CUSTOMERS + " customers per task, was "
                    + template.externalUserIds().size());
        }
        boolean hasText = template.text() != null && !template.text().isBlank();
        if (!hasText && template.attachment() == null) {
            throw new IllegalArgumentException("a message task needs text or an attachment");
        }
        WxCpMsgTemplate msg = new WxCpMsgTemplate();
        msg.setChatType(template.chatType());
        if (template.sender() != null && !template.sender().isBlank()) {
            msg.setSender(template.sender());
        }
        if (group) {
            if (!template.chatIds().isEmpty()) {
                msg.setChatIdList(template.chatIds());
            }
        } else {
            msg.setExternalUserid(template.externalUserIds());
        }
        if (hasText) {
            Text content = new Text();
            content.setContent(template.text());
            msg.setText(content);
        }
        if (template.attachment() != null) {
            msg.setAttachments(List.of(WxAttachments.of(template.attachment(), settings)));
        }
        WxCpMsgTemplateAddResult r = call("externalcontact/add_msg_template",
                () -> service.getExternalContactService().addMsgTemplate(msg));
        if (r.getFailList() != null && !r.getFailList().isEmpty()) {
            // Customers the sender cannot reach; the task still exists for the rest. Counted, not listed: ids are personal data.
            LOG.log(Level.INFO, JsonLog.line("message task leaves customers out", "event", "wecom_msg_template_fail_list",
                    "msgid", r.getMsgId(), "failed", r.getFailList().size(),
                    "requested", template.externalUserIds().size()));
        }
        return required(r.getMsgId(), "externalcontact/add_msg_template", "msgid");
    }

    /**
     * Sent as the app {@link WeComSettings#notifyAgentId()}; duplicates are dropped and more than
     * {@value #MAX_NOTIFY_USERS} recipients go out in several calls (a notification is harmless to
     * repeat, so a failure after the first call just surfaces). Recipients WeCom does not know are
     * logged, not thrown: the others got the message.
     */
    @Override
    public void notifyStaff(List<String> staffUserIds, String text) {
        requireStaff(staffUserIds);
        requireText(text, "text");
        List<String> staff = List.copyOf(new LinkedHashSet<>(staffUserIds));
        for (String id : staff) {
            requireText(id, "staff user id");
            if (id.indexOf('|') >= 0) {
                throw new IllegalArgumentException("a staff user id cannot contain '|': " + id);
            }
        }
        int agentId = settings.notifyAgentId();
        for (int from = 0; from < staff.size(); from += MAX_NOTIFY_USERS) {
            List<String> chunk = staff.subList(from, Math.min(staff.size(), from + MAX_NOTIFY_USERS));
            WxCpMessage msg = WxCpMessage.TEXT().agentId(agentId).toUser(String.join("|", chunk)).content(text).build();
            WxCpMessageSendResult r = call("message/send", () -> service.getMessageService().send(msg));
            if (r.getInvalidUser() != null && !r.getInvalidUser().isBlank()) {
                LOG.log(Level.WARNING, JsonLog.line("staff notification has unknown recipients",
                        "event", "wecom_notify_invalid_users", "agentid", agentId, "invalid_users", r.getInvalidUser()));
            }
        }
    }

    /**
     * Senders are required: WeCom reads none as "every member may post it". Empty tagIds means the
     * senders' customers without a tag filter.
     */
    @Override
    public String addMomentTask(String text, List<String> senderUserIds, List<String> tagIds) {
        requireText(text, "text");
        requireStaff(senderUserIds);
        SenderList senders = new SenderList();
        senders.setUserList(List.copyOf(senderUserIds));
        VisibleRange range = new VisibleRange();
        range.setSenderList(senders);
        if (tagIds != null && !tagIds.isEmpty()) {
            ExternalContactList customers = new ExternalContactList();
            customers.setTagList(List.copyOf(tagIds));
            range.setExternalContactList(customers);
        }
        Text content = new Text();
        content.setContent(text);
        WxCpAddMomentTask task = new WxCpAddMomentTask();
        task.setVisibleRange(range);
        task.setText(content);
        WxCpAddMomentResult r = call("externalcontact/add_moment_task",
                () -> service.getExternalContactService().addMomentTask(task));
        return required(r.getJobId(), "externalcontact/add_moment_task", "jobid");
    }

    /**
     * Pages until limit tasks (filter_type 0: tasks created through the API; creator: that member's only), each
     * page one call with its own budget.
     */
    @Override
    public List<GroupMsg> groupMsgList(String chatType, String creator, Instant from, Instant to, int limit) {
        requireText(chatType, "chatType");
        requireText(creator, "creator");
        List<GroupMsg> out = new ArrayList<>();
        String cursor = null;
        do {
            String page = cursor;
            WxCpGroupMsgListResult r = call("externalcontact/get_groupmsg_list_v2", () -> service
                    .getExternalContactService().getGroupMsgListV2(chatType, Date.from(from), Date.from(to), creator, 0,
                            GROUP_MSG_PAGE_SIZE, page));
            if (r.getGroupMsgList() != null) {
                for (WxCpGroupMsgListResult.ExternalContactGroupMsgInfo m : r.getGroupMsgList()) {
                    out.add(new GroupMsg(m.getMsgId(), m.getCreator(),
                            m.getCreateTime() == null ? null : Instant.ofEpochSecond(m.getCreateTime()),
                            m.getText() == null ? null : m.getText().getContent()));
                }
            }
            cursor = r.getNextCursor() == null || r.getNextCursor().isEmpty() ? null
                    : nextCursor("externalcontact/get_groupmsg_list_v2", page == null ? "" : page, r.getNextCursor());
        } while (cursor != null && out.size() < limit);
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public List<GroupMsgRecipient> groupMsgSendResult(String msgid, String sender) {
        requireText(msgid, "msgid");
        requireText(sender, "sender");
        List<GroupMsgRecipient> out = new ArrayList<>();
        String cursor = null;
        do {
            String page = cursor;
            WxCpGroupMsgSendResult r = call("externalcontact/get_groupmsg_send_result", () -> service
                    .getExternalContactService().getGroupMsgSendResult(msgid, sender, SEND_RESULT_PAGE_SIZE, page));
            if (r.getSendList() != null) {
                for (WxCpGroupMsgSendResult.ExternalContactGroupMsgSendInfo i : r.getSendList()) {
                    out.add(new GroupMsgRecipient(i.getExternalUserId(), i.getChatId(), i.getUserId(),
                            i.getStatus() == null ? 0 : i.getStatus()));
                }
            }
            cursor = r.getNextCursor() == null || r.getNextCursor().isEmpty() ? null
                    : nextCursor("externalcontact/get_groupmsg_send_result", page == null ? "" : page,
                    r.getNextCursor());
        } while (cursor != null);
        return out;
    }

    @Override
    public List<Moment> momentList(Instant from, Instant to, int limit) {
        List<Moment> out = new ArrayList<>();
        String cursor = null;
        do {
            String page = cursor;
            WxCpGetMomentList r = call("externalcontact/get_moment_list", () -> service.getExternalContactService()
                    .getMomentList(from.getEpochSecond(), to.getEpochSecond(), null, 0, page, MOMENT_PAGE_SIZE));
            if (r.getMomentList() != null) {
                for (MomentInfo m : r.getMomentList()) {
                    out.add(new Moment(m.getMomentId(), m.getCreator(),
                            m.getCreateTime() == null ? null : Instant.ofEpochSecond(Long.parseLong(m.getCreateTime())),
                            m.getText() == null ? null : m.getText().getContent()));
                }
            }
            cursor = r.getNextCursor() == null || r.getNextCursor().isEmpty() ? null
                    : nextCursor("externalcontact/get_moment_list", page == null ? "" : page, r.getNextCursor());
        } while (cursor != null && out.size() < limit);
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** Every page, each one call with its own budget, following next_cursor until is_last. */
    @Override
    public List<Unassigned> unassigned() {
        List<Unassigned> out = new ArrayList<>();
        String cursor = "";
        while (true) {
            String page = cursor;
            WxCpUserExternalUnassignList list = call("externalcontact/get_unassigned_list",
                    () -> service.getExternalContactService().listUnassignedList(null, page, UNASSIGNED_PAGE_SIZE));
            if (list.getUnassignInfos() != null) {
                for (WxCpUserExternalUnassignList.UnassignInfo u : list.getUnassignInfos()) {
                    out.add(new Unassigned(u.getHandoverUserid(), u.getExternalUserid(), orZero(u.getDimissionTime())));
                }
            }
            String next = list.getNextCursor();
            if (list.isLast() || next == null || next.isEmpty()) {
                return out;
            }
            cursor = nextCursor("externalcontact/get_unassigned_list", page, next);
        }
    }

    /**
     * At most {@value #MAX_TRANSFER_CUSTOMERS} customers: more is refused here rather than split,
     * since a failure between two calls would lose the first call's outcomes. When an attempt is
     * retried after WeCom accepted it unseen, its customers come back as 40129 (already in
     * transfer), which callers should read as accepted.
     */
    @Override
    public List<TransferOutcome> transferCustomers(String handoverUserId, String takeoverUserId,
                                                   List<String> externalUserIds, boolean resigned) {
        requireText(handoverUserId, "handoverUserId");
        requireText(takeoverUserId, "takeoverUserId");
        if (externalUserIds == null || externalUserIds.isEmpty()) {
            return List.of();
        }
        if (externalUserIds.size() > MAX_TRANSFER_CUSTOMERS) {
            throw new IllegalArgumentException("WeCom transfers at most " + MAX_TRANSFER_CUSTOMERS
                    + " customers per call, was " + externalUserIds.size());
        }
        WxCpUserTransferCustomerReq request = new WxCpUserTransferCustomerReq();
        request.setHandOverUserid(handoverUserId);
        request.setTakeOverUserid(takeoverUserId);
        request.setExternalUserid(List.copyOf(externalUserIds));
        String api = resigned ? "externalcontact/resigned/transfer_customer" : "externalcontact/transfer_customer";
        WxCpUserTransferCustomerResp r = call(api, () -> resigned
                ? service.getExternalContactService().resignedTransferCustomer(request)
                : service.getExternalContactService().transferCustomer(request));
        List<TransferOutcome> out = new ArrayList<>();
        if (r.getCustomer() != null) {
            for (WxCpUserTransferCustomerResp.TransferCustomer c : r.getCustomer()) {
                out.add(new TransferOutcome(c.getExternalUserid(), c.getErrcode() == null ? SYSTEM_BUSY : c.getErrcode()));
            }
        }
        return out;
    }

    /** Every page of the pair's transfers, each page one call with its own budget. */
    @Override
    public List<TransferStatus> transferResult(String handoverUserId, String takeoverUserId, boolean resigned) {
        requireText(handoverUserId, "handoverUserId");
        requireText(takeoverUserId, "takeoverUserId");
        String api = resigned ? "externalcontact/resigned/transfer_result" : "externalcontact/transfer_result";
        List<TransferStatus> out = new ArrayList<>();
        String cursor = "";
        while (true) {
            String page = cursor;
            WxCpUserTransferResultResp r = call(api, () -> resigned
                    ? service.getExternalContactService().resignedTransferResult(handoverUserId, takeoverUserId, page)
                    : service.getExternalContactService().transferResult(handoverUserId, takeoverUserId, page));
            if (r.getCustomer() != null) {
                for (WxCpUserTransferResultResp.TransferResult t : r.getCustomer()) {
                    out.add(new TransferStatus(t.getExternalUserid(), status(t.getStatus()), orZero(t.getTakeOverTime())));
                }
            }
            String next = r.getNextCursor();
            if (next == null || next.isEmpty()) {
                return out;
            }
            cursor = nextCursor(api, page, next);
        }
    }

    // ---- the corp directory, with the contacts secret ----

    @Override
    public boolean readsDirectory() {
        return directory != null;
    }

    @Override
    public List<Department> departments() {
        return directory().departments();
    }

    @Override
    public MemberIdPage memberIds(String cursor, int limit) {
        return directory().memberIds(cursor, limit);
    }

    @Override
    public Member member(String userId) {
        requireText(userId, "userId");
        return directory().member(userId);
    }

    private WxDirectory directory() {
        if (directory == null) {
            throw new IllegalStateException("reading WeCom's directory needs the contacts secret:"
                    + " SIYU_WECOM_CONTACTS_SECRET is not set");
        }
        return directory;
    }

    @Override
    public GroupChat groupChat(String chatId) {
        requireText(chatId, "chatId");
        return groupChats().groupChat(chatId);
    }

    @Override
    public JoinWay addJoinWay(List<String> chatIds, String state, String remark) {
        return groupChats().addJoinWay(chatIds, state, remark);
    }

    @Override
    public String addGroupWelcomeTemplate(String text) {
        requireText(text, "text");
        return groupChats().addGroupWelcomeTemplate(text);
    }

    @Override
    public List<GroupTransferFailure> transferGroupChats(List<String> chatIds, String newOwner, boolean resigned) {
        requireText(newOwner, "newOwner");
        return groupChats().transfer(chatIds, newOwner, resigned);
    }

    private WxGroupChats groupChats() {
        return new WxGroupChats(service, this::call);
    }

    @Override
    public void close() {
        if (touchId != null) {
            // A view: the client is the API's, closed with it.
            return;
        }
        try {
            http.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, JsonLog.line("closing the WeCom HTTP client failed", "error", e.toString()), e);
        }
    }

    private <T> T call(String api, DeadlineHttpClient.Action<T, WxErrorException> action) {
        return touchId == null ? retry.call(api, action) : http.touching(touchId, () -> retry.call(api, action));
    }

    private String toJson(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serializes", e);
        }
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static long orZero(Long l) {
        return l == null ? 0 : l;
    }

    /** WeCom's numbers, which WxJava turns into an enum; a status this WxJava does not know is 0. */
    private static int status(WxCpUserTransferResultResp.STATUS status) {
        if (status == null) {
            return 0;
        }
        switch (status) {
            case COMPLETE:
                return 1;
            case WAITING:
                return 2;
            case REFUSED:
                return 3;
            case LIMIT:
                return 4;
            case NORECORD:
                // WxJava's name; WeCom documents 5 as "the takeover member has reached their customer limit".
                return 5;
            default:
                return 0;
        }
    }

    private static String required(String value, String api, String field) {
        if (value == null || value.isBlank()) {
            throw new WeComApiException(SYSTEM_BUSY, api + " answered without " + field, null);
        }
        return value;
    }

    /** A cursor that does not move would page forever; WeCom never does that, a broken proxy might. */
    private static String nextCursor(String api, String current, String next) {
        if (next.equals(current)) {
            throw new WeComApiException(SYSTEM_BUSY, api + " answered the same next_cursor again", null);
        }
        return next;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requireStaff(List<String> staff) {
        if (staff == null || staff.isEmpty()) {
            throw new IllegalArgumentException("at least one staff user id is required");
        }
    }

}
