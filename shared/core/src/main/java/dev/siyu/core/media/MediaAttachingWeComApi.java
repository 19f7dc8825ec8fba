package dev.siyu.core.media;

import dev.siyu.core.port.WeComApi;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The WeCom API whose message tasks carry a fresh uploaded picture: an image or Mini Program card attachment
 * without a media id gets one from {@link CardMedia} just before {@code add_msg_template} (WeCom refuses a card
 * without {@code pic_media_id} and an image without {@code media_id}). Every other call passes through.
 * The engine wraps its port in this, so every sender (journey steps, SOP slots, mass sends) gets it.
 *
 * <p>A new method of {@link WeComApi} must be forwarded here too: a default method left out would answer
 * with the interface's default instead of the real API.
 */
public final class MediaAttachingWeComApi implements WeComApi {
    private final WeComApi api;
    private final CardMedia media;

    public MediaAttachingWeComApi(WeComApi api, CardMedia media) {
        this.api = Objects.requireNonNull(api, "api");
        this.media = Objects.requireNonNull(media, "media");
    }

    /**
     * The API as the engine uses it: cards and images get the tenant's picture uploaded through api itself, with
     * the blueprint's pictures found by {@link PictureFiles#standard()}.
     */
    public static WeComApi uploading(WeComApi api, String tenant, dev.siyu.core.port.MediaCache cache,
                                     java.time.Clock clock) {
        return new MediaAttachingWeComApi(api, new CardMedia(tenant, cache, PictureFiles.standard(), api, clock));
    }

    /** The touching view sends through the inner API's view; uploads stay outside it (they reach nobody). */
    @Override
    public WeComApi touching(String touchId) {
        return new MediaAttachingWeComApi(api.touching(touchId), media);
    }

    @Override
    public String addMsgTemplate(MsgTemplate template) {
        Attachment a = template.attachment();
        if (a != null && a.needsMedia() && (a.mediaId() == null || a.mediaId().isBlank())) {
            template = template.withAttachment(a.withMediaId(media.mediaId(a.picture())));
        }
        return api.addMsgTemplate(template);
    }

    @Override
    public UploadedMedia uploadImage(String fileName, byte[] bytes) {
        return api.uploadImage(fileName, bytes);
    }

    @Override
    public ContactDetail contact(String externalUserId) {
        return api.contact(externalUserId);
    }

    @Override
    public ContactWay addContactWay(List<String> staffUserIds, String state, String remark) {
        return api.addContactWay(staffUserIds, state, remark);
    }

    @Override
    public void updateContactWay(String configId, List<String> staffUserIds, String state) {
        api.updateContactWay(configId, staffUserIds, state);
    }

    @Override
    public void sendWelcome(String welcomeCode, String text) {
        api.sendWelcome(welcomeCode, text);
    }

    @Override
    public Map<String, Map<String, String>> corpTags() {
        return api.corpTags();
    }

    @Override
    public String addCorpTag(String groupName, String tagName) {
        return api.addCorpTag(groupName, tagName);
    }

    @Override
    public void markTag(String staffUserId, String externalUserId, List<String> addTagIds, List<String> removeTagIds) {
        api.markTag(staffUserId, externalUserId, addTagIds, removeTagIds);
    }

    @Override
    public void notifyStaff(List<String> staffUserIds, String text) {
        api.notifyStaff(staffUserIds, text);
    }

    @Override
    public String addMomentTask(String text, List<String> senderUserIds, List<String> tagIds) {
        return api.addMomentTask(text, senderUserIds, tagIds);
    }

    @Override
    public List<GroupMsg> groupMsgList(String chatType, String creator, Instant from, Instant to, int limit) {
        return api.groupMsgList(chatType, creator, from, to, limit);
    }

    @Override
    public List<GroupMsgRecipient> groupMsgSendResult(String msgid, String sender) {
        return api.groupMsgSendResult(msgid, sender);
    }

    @Override
    public List<Moment> momentList(Instant from, Instant to, int limit) {
        return api.momentList(from, to, limit);
    }

    // ---- the staff sidebar ----

    @Override
    public OAuthIdentity oauthIdentity(String code) {
        return api.oauthIdentity(code);
    }

    @Override
    public String agentJsapiTicket() {
        return api.agentJsapiTicket();
    }

    @Override
    public GroupChat groupChat(String chatId) {
        return api.groupChat(chatId);
    }

    @Override
    public JoinWay addJoinWay(List<String> chatIds, String state, String remark) {
        return api.addJoinWay(chatIds, state, remark);
    }

    @Override
    public String addGroupWelcomeTemplate(String text) {
        return api.addGroupWelcomeTemplate(text);
    }

    @Override
    public List<GroupTransferFailure> transferGroupChats(List<String> chatIds, String newOwner, boolean resigned) {
        return api.transferGroupChats(chatIds, newOwner, resigned);
    }

    // ---- the corp directory: nothing to attach, forwarded as is ----

    @Override
    public boolean readsDirectory() {
        return api.readsDirectory();
    }

    @Override
    public List<Department> departments() {
        return api.departments();
    }

    @Override
    public MemberIdPage memberIds(String cursor, int limit) {
        return api.memberIds(cursor, limit);
    }

    @Override
    public Member member(String userId) {
        return api.member(userId);
    }

    @Override
    public List<Unassigned> unassigned() {
        return api.unassigned();
    }

    @Override
    public List<TransferOutcome> transferCustomers(String handoverUserId, String takeoverUserId,
                                                   List<String> externalUserIds, boolean resigned) {
        return api.transferCustomers(handoverUserId, takeoverUserId, externalUserIds, resigned);
    }

    @Override
    public List<TransferStatus> transferResult(String handoverUserId, String takeoverUserId, boolean resigned) {
        return api.transferResult(handoverUserId, takeoverUserId, resigned);
    }
}
