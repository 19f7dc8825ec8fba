package dev.siyu.wecom;

import dev.siyu.core.port.WeComApi.GroupChat;
import dev.siyu.core.port.WeComApi.GroupChatMember;
import dev.siyu.core.port.WeComApi.GroupTransferFailure;
import dev.siyu.core.port.WeComApi.JoinWay;
import dev.siyu.core.port.WeComApi.StaffTag;
import dev.siyu.core.port.WeComApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.bean.external.WxCpGroupJoinWayInfo;
import me.chanjar.weixin.cp.bean.external.WxCpGroupJoinWayResult;
import me.chanjar.weixin.cp.bean.external.WxCpGroupWelcomeTemplateResult;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalGroupChatInfo;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalGroupChatTransferResp;
import me.chanjar.weixin.cp.bean.external.contact.FollowedUser;
import me.chanjar.weixin.cp.bean.external.contact.WxCpExternalContactInfo;
import me.chanjar.weixin.cp.bean.external.msg.Text;

/**
 * The customer-group calls of {@link WxJavaWeComApi} (groupchat/get, add_join_way + get_join_way, the group
 * welcome template, group transfers) and the reading of a contact's staff tags, each through the adapter's own
 * retry policy and touch id.
 */
final class WxGroupChats {
    /** WeCom: groupchat/transfer and onjob_transfer take 1 to 100 groups. */
    static final int MAX_TRANSFER_CHATS = 100;
    /** follow_user.tags type 1: a corp tag (2 a staff member's personal tag, 3 a rule-group tag). */
    static final int CORP_TAG = 1;

    /** WxJavaWeComApi's call: retries, deadline and touch header. */
    interface Caller {
        <T> T call(String api, DeadlineHttpClient.Action<T, WxErrorException> action);
    }

    private final WxCpService service;
    private final Caller caller;

    WxGroupChats(WxCpService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    GroupChat groupChat(String chatId) {
        WxCpUserExternalGroupChatInfo info = caller.call("externalcontact/groupchat/get",
                () -> service.getExternalContactService().getGroupChat(chatId, 0));
        WxCpUserExternalGroupChatInfo.GroupChat g = info == null ? null : info.getGroupChat();
        if (g == null) {
            throw new WeComApiException(WeComRetryPolicy.SYSTEM_BUSY, "groupchat/get answered without group_chat", null);
        }
        List<GroupChatMember> members = new ArrayList<>();
        if (g.getMemberList() != null) {
            for (WxCpUserExternalGroupChatInfo.GroupMember m : g.getMemberList()) {
                members.add(new GroupChatMember(m.getUserId(), m.getType(),
                        m.getJoinTime() == null ? null : Instant.ofEpochSecond(m.getJoinTime()), m.getJoinScene()));
            }
        }
        return new GroupChat(g.getChatId() == null ? chatId : g.getChatId(), g.getName(), g.getOwner(),
                g.getCreateTime() == null ? null : Instant.ofEpochSecond(g.getCreateTime()), members);
    }

    /** add_join_way answers only the config_id; the QR code is get_join_way's. */
    JoinWay addJoinWay(List<String> chatIds, String state, String remark) {
        WxCpGroupJoinWayInfo.JoinWay way = new WxCpGroupJoinWayInfo.JoinWay();
        way.setScene(2);
        way.setRemark(remark);
        // The suite knows each group by its callbacks; a room WeCom made by itself would get a join way of none.
        way.setAutoCreateRoom(0);
        way.setChatIdList(List.copyOf(chatIds));
        way.setState(state);
        WxCpGroupJoinWayInfo info = new WxCpGroupJoinWayInfo();
        info.setJoinWay(way);
        WxCpGroupJoinWayResult added = caller.call("externalcontact/groupchat/add_join_way",
                () -> service.getExternalContactService().addJoinWay(info));
        String configId = added.getConfigId();
        WxCpGroupJoinWayInfo read = caller.call("externalcontact/groupchat/get_join_way",
                () -> service.getExternalContactService().getJoinWay(configId));
        String qr = read == null || read.getJoinWay() == null ? null : read.getJoinWay().getQrCode();
        if (qr == null || qr.isBlank()) {
            throw new WeComApiException(WeComRetryPolicy.SYSTEM_BUSY, "get_join_way answered without qr_code", null);
        }
        return new JoinWay(configId, qr);
    }

    String addGroupWelcomeTemplate(String text) {
        WxCpGroupWelcomeTemplateResult template = new WxCpGroupWelcomeTemplateResult();
        template.setText(new Text().setContent(text));
        template.setNotify(1);
        return caller.call("externalcontact/group_welcome_template/add",
                () -> service.getExternalContactService().addGroupWelcomeTemplate(template));
    }

    List<GroupTransferFailure> transfer(List<String> chatIds, String newOwner, boolean resigned) {
        if (chatIds.isEmpty() || chatIds.size() > MAX_TRANSFER_CHATS) {
            throw new IllegalArgumentException("WeCom transfers 1 to " + MAX_TRANSFER_CHATS + " groups per call, was "
                    + chatIds.size());
        }
        String[] ids = chatIds.toArray(String[]::new);
        String api = resigned ? "externalcontact/groupchat/transfer" : "externalcontact/groupchat/onjob_transfer";
        WxCpUserExternalGroupChatTransferResp r = caller.call(api, () -> resigned
                ? service.getExternalContactService().transferGroupChat(ids, newOwner)
                : service.getExternalContactService().onjobTransferGroupChat(ids, newOwner));
        List<GroupTransferFailure> out = new ArrayList<>();
        if (r != null && r.getFailedChatList() != null) {
            for (WxCpUserExternalGroupChatTransferResp.GroupChatFailedTransfer f : r.getFailedChatList()) {
                out.add(new GroupTransferFailure(f.getChatId(),
                        f.getErrcode() == null ? WeComRetryPolicy.SYSTEM_BUSY : f.getErrcode().intValue()));
            }
        }
        return out;
    }

    /** The corp tags in externalcontact/get's follow_user, per staff member. */
    static List<StaffTag> staffTags(WxCpExternalContactInfo info) {
        List<StaffTag> out = new ArrayList<>();
        if (info == null || info.getFollowedUsers() == null) {
            return out;
        }
        for (FollowedUser f : info.getFollowedUsers()) {
            if (f.getTags() == null) {
                continue;
            }
            for (FollowedUser.Tag t : f.getTags()) {
                if (t.getType() == CORP_TAG && t.getTagName() != null) {
                    out.add(new StaffTag(f.getUserId(), t.getGroupName(), t.getTagName(), t.getTagId()));
                }
            }
        }
        return out;
    }
}
