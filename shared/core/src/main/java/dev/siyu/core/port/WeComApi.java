package dev.siyu.core.port;

import java.util.List;
import java.util.Map;

/**
 * The WeCom server API calls the suite makes. Implementations own token refresh, back-off and
 * retries; what still fails surfaces as {@link WeComApiException} with WeCom's errcode.
 */
public interface WeComApi {

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

    record ContactDetail(String externalUserId, String name, String avatar, String unionId, int type, int gender) { }

    record ContactWay(String configId, String qrCode) { }
}
