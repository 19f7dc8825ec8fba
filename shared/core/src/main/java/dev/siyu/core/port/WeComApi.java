package dev.siyu.core.port;

import java.util.List;
import java.util.Map;

/**
 * The WeCom server API calls the suite makes. Implementations own token refresh, back-off and
 * retries; what still fails surfaces as {@link WeComApiException} with WeCom's errcode.
 */
public interface WeComApi {
    /** The header a touch id travels in; WeCom ignores it, the local stub records it. */
    String TOUCH_ID_HEADER = "X-Siyu-Touch-Id";

    /**
     * This API with every call carrying touchId: one intended delivery to people (a journey step's message,
     * an SOP slot, a mass send, a welcome). Every retry of that delivery uses the same id, any other
     * delivery another. Adapters send it as {@link #TOUCH_ID_HEADER}; the in-memory API records it.
     */
    default WeComApi touching(String touchId) {
        return this;
    }

    /** externalcontact/get */
    ContactDetail contact(String externalUserId);

    /** externalcontact/add_contact_way with type 1 (one staff member) or 2 (several). */
    ContactWay addContactWay(List<String> staffUserIds, String state, String remark);

    /** externalcontact/update_contact_way: re-route an existing code. */
    void updateContactWay(String configId, List<String> staffUserIds, String state);

    /** externalcontact/send_welcome_msg; errcode 41051 (code already used) surfaces as an exception. */
    void sendWelcome(String welcomeCode, String text);

    /** externalcontact/get_corp_tag_list as group name -> tag name -> tag id. */
    Map<String, Map<String, String>> corpTags();

    /** externalcontact/add_corp_tag: creates the tag (and its group when missing), returns the tag id. */
    String addCorpTag(String groupName, String tagName);

    /** externalcontact/mark_tag */
    void markTag(String staffUserId, String externalUserId, List<String> addTagIds, List<String> removeTagIds);

    /**
     * externalcontact/add_msg_template: a message task the sender confirms in WeCom (one customer, many,
     * or groups the sender owns). Returns WeCom's msgid.
     */
    String addMsgTemplate(MsgTemplate template);

    /** message/send: an app notification to staff members, e.g. "a task is waiting for you". */
    void notifyStaff(List<String> staffUserIds, String text);

    /**
     * externalcontact/add_moment_task: a Moments post by the senders, visible to customers with any of
     * the tags. Returns WeCom's jobid.
     */
    String addMomentTask(String text, List<String> senderUserIds, List<String> tagIds);

    /**
     * externalcontact/get_groupmsg_list_v2, page after page until limit tasks: the message tasks of chatType
     * (single or group) that creator created through the API (filter_type 0) between from and to. Read to learn
     * whether an add_msg_template whose answer was lost reached WeCom.
     */
    default List<GroupMsg> groupMsgList(String chatType, String creator, java.time.Instant from,
                                        java.time.Instant to, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list message tasks");
    }

    /**
     * externalcontact/get_groupmsg_send_result, every page: whom the task msgid reaches through sender (empty
     * when the task is not that member's).
     */
    default List<GroupMsgRecipient> groupMsgSendResult(String msgid, String sender) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list a task's recipients");
    }

    /**
     * externalcontact/get_moment_list, page after page until limit posts: the Moments posts the enterprise
     * created (filter_type 0) between from and to. Read to learn whether an add_moment_task whose answer was
     * lost reached WeCom.
     */
    default List<Moment> momentList(java.time.Instant from, java.time.Instant to, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list Moments posts");
    }

    /**
     * media/upload with type image: a temporary picture (3 days) for a Mini Program card's {@code pic_media_id}
     * or an image's {@code media_id}.
     *
     * @param fileName the name WeCom shows, its extension the format (png, jpg)
     */
    default UploadedMedia uploadImage(String fileName, byte[] bytes) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot upload media");
    }

    /**
     * externalcontact/groupchat/get: a customer group's owner, name and members (staff and customers, with
     * their join time and scene). Read on every change_external_chat create and update.
     */
    default GroupChat groupChat(String chatId) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read customer groups");
    }

    /**
     * externalcontact/groupchat/add_join_way (scene 2, a QR code) for up to 5 groups, then get_join_way for its
     * QR code: the link a group invite carries.
     */
    default JoinWay addJoinWay(List<String> chatIds, String state, String remark) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot add join ways");
    }

    /**
     * externalcontact/group_welcome_template/add with notify=1 (the owners are asked to use it in their groups).
     * Returns WeCom's template_id.
     */
    default String addGroupWelcomeTemplate(String text) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot add group welcome templates");
    }

    /**
     * externalcontact/groupchat/transfer (resigned owner) or externalcontact/groupchat/onjob_transfer, at most
     * 100 groups per call. Returns the groups WeCom did not transfer, with its errcode for each.
     */
    default List<GroupTransferFailure> transferGroupChats(List<String> chatIds, String newOwner, boolean resigned) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot transfer customer groups");
    }

    // ---- the corp directory (通讯录): read with the contacts secret's own access token ----

    /**
     * Whether this API can read the directory: the contacts secret is configured. Without it the staff directory
     * sync skips (and says so) rather than failing every day.
     */
    default boolean readsDirectory() {
        return false;
    }

    /**
     * department/list without an id: every department of the corp. WeCom answers these directory reads only
     * to the contacts (通讯录同步) secret's token; an app's token gets 48009 or 60011.
     */
    default List<Department> departments() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read the corp directory");
    }

    /**
     * user/list_id: one page of the corp's members (a userid once per department it is in).
     *
     * @param cursor null or empty for the first page, else the previous page's {@link MemberIdPage#nextCursor}
     * @param limit  1 to 10,000 as WeCom allows
     */
    default MemberIdPage memberIds(String cursor, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read the corp directory");
    }

    /** user/get: one member with their status; an unknown userid is WeComApiException 60111. */
    default Member member(String userId) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read the corp directory");
    }

    /** errcode of user/get for a userid that is not (or no longer) in the corp directory. */
    int UNKNOWN_USERID = 60111;

    /** @param parentId 0 for the root department */
    record Department(long id, String name, long parentId) { }

    /** @param nextCursor null or empty on the last page */
    record MemberIdPage(List<DepartmentMember> members, String nextCursor) {
        public MemberIdPage {
            members = List.copyOf(members);
        }

        public boolean last() {
            return nextCursor == null || nextCursor.isEmpty();
        }
    }

    /** One line of user/list_id's dept_user: a member in one department. */
    record DepartmentMember(String userId, long department) { }

    /**
     * @param status as user/get answers it: 1 activated, 2 disabled, 4 not activated yet, 5 left the company
     */
    record Member(String userId, String name, List<Long> departments, int status) {
        public static final int ACTIVE = 1;
        public static final int DISABLED = 2;
        public static final int NOT_ACTIVATED = 4;
        public static final int LEFT = 5;

        public Member {
            departments = List.copyOf(departments);
        }

        /** Disabled or left: the member cannot serve customers any more. */
        public boolean gone() {
            return status == DISABLED || status == LEFT;
        }
    }

    // ---- end of the corp directory ----

    // ---- The staff sidebar (the chat toolbar page): who opened it, and the JS-SDK's agent ticket ----

    /**
     * auth/getuserinfo (获取访问用户身份, https://developer.work.weixin.qq.com/document/path/91023): who opened the
     * app page with this OAuth code. A code is good once, within 5 minutes; a used, expired or unknown one is
     * errcode 40029 (invalid code).
     */
    default OAuthIdentity oauthIdentity(String code) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read OAuth codes");
    }

    /**
     * ticket/get with type agent_config (获取应用的jsapi_ticket, document/path/90506): the app's jsapi_ticket that
     * signs {@code wx.agentConfig}. Cached until shortly before WeCom's expires_in (7200 s): the page asks for a
     * signature on every open, and WeCom limits how often a ticket may be fetched.
     */
    default String agentJsapiTicket() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot fetch the agent jsapi_ticket");
    }

    /**
     * What auth/getuserinfo answered: userId for a member of the corp (a staff member), else openId (someone
     * outside it, who gets no sidebar).
     */
    record OAuthIdentity(String userId, String openId) {
        public boolean member() {
            return userId != null && !userId.isBlank();
        }
    }

    /** externalcontact/get_unassigned_list: customers of departed staff still waiting for a successor. */
    List<Unassigned> unassigned();

    /**
     * externalcontact/resigned/transfer_customer (departed staff) or externalcontact/transfer_customer
     * (on the job), at most 100 customers per call. Returns one outcome per customer.
     */
    List<TransferOutcome> transferCustomers(String handoverUserId, String takeoverUserId, List<String> externalUserIds,
                                            boolean resigned);

    /** externalcontact/resigned/transfer_result or externalcontact/transfer_result. */
    List<TransferStatus> transferResult(String handoverUserId, String takeoverUserId, boolean resigned);

    /**
     * @param chatType single (to external contacts) or group (to the sender's customer groups)
     * @param attachment null for text only
     */
    record MsgTemplate(String chatType, String sender, List<String> externalUserIds, List<String> chatIds,
                       String text, Attachment attachment) {
        public MsgTemplate {
            externalUserIds = List.copyOf(externalUserIds);
            chatIds = List.copyOf(chatIds);
        }

        public MsgTemplate withAttachment(Attachment a) {
            return new MsgTemplate(chatType, sender, externalUserIds, chatIds, text, a);
        }

        public static MsgTemplate single(String sender, List<String> externalUserIds, String text,
                                         Attachment attachment) {
            return new MsgTemplate("single", sender, externalUserIds, List.of(), text, attachment);
        }

        public static MsgTemplate group(String owner, List<String> chatIds, String text, Attachment attachment) {
            return new MsgTemplate("group", owner, List.of(), chatIds, text, attachment);
        }
    }

    /**
     * kind: image, link or miniprogram. url is the link, the image URL or the Mini Program page.
     *
     * @param picture the blueprint's picture file for an image or a Mini Program card's cover (a path under the
     *                blueprint's directory); null: the suite's placeholder cover
     * @param mediaId the picture's temporary media id from {@code media/upload}, filled in just before the send
     *                (WeCom refuses a card without {@code pic_media_id} and an image without {@code media_id});
     *                null until then
     */
    record Attachment(String kind, String title, String url, String picture, String mediaId) {
        public Attachment(String kind, String title, String url) {
            this(kind, title, url, null, null);
        }

        public Attachment(String kind, String title, String url, String picture) {
            this(kind, title, url, picture, null);
        }

        /** Images and Mini Program cards carry an uploaded picture; links do not. */
        public boolean needsMedia() {
            return "image".equals(kind) || "miniprogram".equals(kind);
        }

        public Attachment withMediaId(String id) {
            return new Attachment(kind, title, url, picture, id);
        }
    }

    /** What {@code media/upload} answered: the temporary media id and when WeCom created it (it lasts 3 days). */
    record UploadedMedia(String mediaId, java.time.Instant createdAt) { }

    record Unassigned(String handoverUserId, String externalUserId, long dimissionTime) { }

    /** errcode 0 when WeCom accepted the customer into the transfer. */
    record TransferOutcome(String externalUserId, int errcode) { }

    /**
     * status as WeCom reports it: 1 taken over, 2 waiting, 3 refused by the customer, 4 failed (limit:
     * a customer may be transferred twice in 90 days), 5 the takeover member is at their limit.
     */
    record TransferStatus(String externalUserId, int status, long takeoverTime) {
        public boolean done() {
            return status == 1;
        }

        public boolean waiting() {
            return status == 2;
        }
    }

    /** One task of get_groupmsg_list_v2: its text.content and create_time. */
    record GroupMsg(String msgid, String creator, java.time.Instant createTime, String text) { }

    /** One line of get_groupmsg_send_result: a customer (externalUserId) or a group (chatId) and its status. */
    record GroupMsgRecipient(String externalUserId, String chatId, String userId, int status) { }

    /** One post of get_moment_list. */
    record Moment(String momentId, String creator, java.time.Instant createTime, String text) { }

    /**
     * @param tags the corp tags (follow_user[].tags of type 1) each staff member has on the customer: what
     *             staff set in WeCom themselves as well as what the suite marked
     */
    record ContactDetail(String externalUserId, String name, String avatar, String unionId, int type, int gender,
                         List<StaffTag> tags) {
        public ContactDetail {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        public ContactDetail(String externalUserId, String name, String avatar, String unionId, int type, int gender) {
            this(externalUserId, name, avatar, unionId, type, gender, List.of());
        }
    }

    /** One corp tag a staff member put on a customer (follow_user.tags, type 1). */
    record StaffTag(String staffUserId, String groupName, String tagName, String tagId) { }

    /**
     * A customer group as groupchat/get answers.
     *
     * @param members staff (type 1) and customers (type 2)
     */
    record GroupChat(String chatId, String name, String owner, java.time.Instant createTime,
                     List<GroupChatMember> members) {
        public GroupChat {
            members = List.copyOf(members);
        }
    }

    /**
     * @param type      1 a staff member (userId is their userid), 2 an external contact (userId is the external_userid)
     * @param joinScene 1 invited directly, 2 through an invite link, 3 by scanning the group's QR code
     */
    record GroupChatMember(String userId, int type, java.time.Instant joinTime, int joinScene) {
        public static final int STAFF = 1;
        public static final int CUSTOMER = 2;

        public boolean customer() {
            return type == CUSTOMER;
        }
    }

    /** A group's join way: WeCom's config_id and the QR code a customer scans (or taps in an invite) to join. */
    record JoinWay(String configId, String qrCode) { }

    record GroupTransferFailure(String chatId, int errcode) { }

    record ContactWay(String configId, String qrCode) { }
}
