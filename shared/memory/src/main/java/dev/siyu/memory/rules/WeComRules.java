package dev.siyu.memory.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What WeCom refuses, in one place: the local stack's HTTP stub and the in-memory API both ask it, so the two
 * cannot drift. Each rule names the WeCom documentation page it comes from (docs/wecom-rules.md lists them).
 * It works on the JSON bodies as WeCom receives them and keeps what the rules need to remember: uploaded media
 * and their upload time, welcome codes issued and used, the tasks each customer received.
 * Thread-safe: every method is synchronized.
 */
public final class WeComRules {
    // Global error codes. Source: "全局错误码", https://developer.work.weixin.qq.com/document/path/90313
    /** 不合法的媒体文件类型 */
    public static final int INVALID_MEDIA_FILE_TYPE = 40004;
    /** 不合法的type参数 */
    public static final int INVALID_TYPE = 40005;
    /** 不合法的文件大小 */
    public static final int INVALID_FILE_SIZE = 40006;
    /** 不合法的media_id参数: unknown, or a temporary one older than 3 days */
    public static final int INVALID_MEDIA_ID = 40007;
    /** 不合法的msgtype参数 */
    public static final int INVALID_MSGTYPE = 40008;
    /** 上传图片大小不是有效值 */
    public static final int INVALID_IMAGE_SIZE = 40009;
    /** 不合法的参数 */
    public static final int INVALID_PARAMETER = 40058;
    /** send_welcome_msg: the code is used, expired, or the customer has started chatting */
    public static final int WELCOME_CODE_USED = 41051;

    /** Source: "上传临时素材", https://developer.work.weixin.qq.com/document/path/90253 — media_id 仅三天内有效. */
    public static final Duration MEDIA_LIFETIME = Duration.ofDays(3);
    /** Global error code "chatid不存在" (developer.work.weixin.qq.com/document/path/90313). */
    public static final int INVALID_CHAT_ID = 40050;
    /** add_join_way: chat_id_list "使用该配置的客户群ID列表，支持5个" (document/path/92229). */
    public static final int MAX_JOIN_WAY_CHATS = 5;
    /** add_join_way: state "不超过30个UTF-8字符"; remark "超过30个字符将被截断" (document/path/92229). */
    public static final int MAX_JOIN_WAY_TEXT = 30;
    /** group_welcome_template/add: text.content "最长为3000字节"; at most 100 templates (document/path/92366). */
    public static final int MAX_WELCOME_BYTES = 3000;
    public static final int MAX_WELCOME_TEMPLATES = 100;
    /** groupchat/transfer and onjob_transfer: chat_id_list "取值范围: 1 ~ 100" (document/path/92127, 95703). */
    public static final int MAX_TRANSFER_CHATS = 100;
    /** Same page: images up to 10 MB, JPG or PNG; every file over 5 bytes. */
    public static final long MAX_TEMPORARY_IMAGE_BYTES = 10L * 1024 * 1024;
    public static final int MIN_FILE_BYTES = 5;
    /** Source: "上传图片", https://developer.work.weixin.qq.com/document/path/90256 — 5 B to 2 MB, JPG or PNG. */
    public static final long MAX_UPLOADIMG_BYTES = 2L * 1024 * 1024;
    /**
     * Source: "发送新客户欢迎语", https://developer.work.weixin.qq.com/document/path/92137 — only within 20 seconds
     * of the add event, and only once.
     */
    public static final Duration WELCOME_CODE_LIFETIME = Duration.ofSeconds(20);
    /** Sources: 92135 (创建企业群发) and 92137 (发送新客户欢迎语): text.content at most 4000 bytes, at most 9 attachments. */
    public static final int MAX_TEXT_BYTES = 4000;
    public static final int MAX_ATTACHMENTS = 9;
    /** Source: 92135 and 92137, miniprogram.title: 最多64个字节. */
    public static final int MAX_MINIPROGRAM_TITLE_BYTES = 64;
    /** WeCom counts calendar days and months in China's time. */
    private static final ZoneId WECOM_ZONE = ZoneId.of("Asia/Shanghai");
    private static final Set<String> TEMPLATE_ATTACHMENTS = Set.of("image", "link", "miniprogram", "video", "file");
    /** Source: "企业发表内容到客户的朋友圈", https://developer.work.weixin.qq.com/document/path/95094 — image, video or link. */
    private static final Set<String> MOMENT_ATTACHMENTS = Set.of("image", "link", "video");
    /**
     * The fields each endpoint requires (its page's 是否必须 column), for endpoints the suite calls with a JSON body.
     * Sources by endpoint: add_contact_way / update_contact_way 92228 (客户联系「联系我」管理); mark_tag 92118 (编辑客户企业标签);
     * add_corp_tag 92117 (管理企业标签); message/send 90236 (发送应用消息); get_groupmsg_list_v2 / get_groupmsg_send_result
     * 93338 (获取群发记录列表); get_moment_list 93333 (获取客户朋友圈全部的发表记录); transfer_customer 92125 (分配在职成员的客户);
     * resigned/transfer_customer 94081 (分配离职成员的客户); transfer_result 94088, resigned/transfer_result 94082;
     * send_welcome_msg 92137. All under https://developer.work.weixin.qq.com/document/path/.
     */
    private static final Map<String, List<String>> REQUIRED = required();

    private final Map<String, Instant> media = new HashMap<>();
    private final Set<String> imageUrls = new HashSet<>();
    private final Map<String, Instant> welcomeCodes = new HashMap<>();
    private final Set<String> usedWelcomeCodes = new HashSet<>();
    /** external_userid -> the days (WeCom's calendar) of the tasks they received, oldest first. */
    private final Map<String, List<LocalDate>> tasks = new HashMap<>();
    private CustomerTaskLimit limit = CustomerTaskLimit.DAYS_IN_MONTH;
    private long mediaSeq;

    private static Map<String, List<String>> required() {
        Map<String, List<String>> r = new LinkedHashMap<>();
        r.put("externalcontact/add_contact_way", List.of("type", "scene"));
        r.put("externalcontact/update_contact_way", List.of("config_id"));
        r.put("externalcontact/send_welcome_msg", List.of("welcome_code"));
        r.put("externalcontact/mark_tag", List.of("userid", "external_userid"));
        r.put("externalcontact/add_corp_tag", List.of("tag"));
        // agentid too, which the stub answers 40056 (invalid agentid) for: it checks that itself
        r.put("message/send", List.of("msgtype"));
        r.put("externalcontact/get_groupmsg_list_v2", List.of("start_time", "end_time"));
        r.put("externalcontact/get_groupmsg_send_result", List.of("msgid", "userid"));
        r.put("externalcontact/get_moment_list", List.of("start_time", "end_time"));
        r.put("externalcontact/transfer_customer", List.of("handover_userid", "takeover_userid", "external_userid"));
        r.put("externalcontact/resigned/transfer_customer",
                List.of("handover_userid", "takeover_userid", "external_userid"));
        r.put("externalcontact/transfer_result", List.of("handover_userid", "takeover_userid"));
        r.put("externalcontact/resigned/transfer_result", List.of("handover_userid", "takeover_userid"));
        return Map.copyOf(r);
    }

    /** The corp's per-customer task rule, as set in WeCom's console (default: as many as the month has days). */
    public synchronized void customerTaskLimit(CustomerTaskLimit rule) {
        this.limit = rule;
    }

    public synchronized CustomerTaskLimit customerTaskLimit() {
        return limit;
    }

    /** Forgets media, welcome codes and task counts (the limit setting stays). */
    public synchronized void reset() {
        media.clear();
        imageUrls.clear();
        welcomeCodes.clear();
        usedWelcomeCodes.clear();
        tasks.clear();
        mediaSeq = 0;
    }

    // ---- every endpoint ----

    /** The endpoint's required fields: absent, null, blank or an empty list is 40058. */
    public Refusal required(String api, JsonNode body) {
        for (String field : REQUIRED.getOrDefault(api, List.of())) {
            JsonNode v = body == null ? null : body.get(field);
            boolean missing = v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())
                    || (v.isContainerNode() && v.isEmpty());
            if (missing) {
                return new Refusal(INVALID_PARAMETER, field + " missing");
            }
        }
        return null;
    }

    // ---- media ----

    /** What media/upload answered: a refusal, or the media id and its created_at. */
    public record Upload(Refusal refusal, String mediaId, Instant createdAt) {
    }

    /**
     * media/upload (上传临时素材, https://developer.work.weixin.qq.com/document/path/90253): type image, voice, video
     * or file; an image JPG or PNG of more than 5 bytes and at most 10 MB. The id lasts 3 days from now.
     */
    public synchronized Upload upload(String type, String fileName, byte[] bytes, Instant now) {
        if (type == null || !Set.of("image", "voice", "video", "file").contains(type)) {
            return new Upload(new Refusal(INVALID_TYPE, "invalid type '" + type + "'"), null, null);
        }
        if (bytes == null || bytes.length <= MIN_FILE_BYTES) {
            return new Upload(new Refusal(INVALID_FILE_SIZE, "file must be over " + MIN_FILE_BYTES + " bytes"), null,
                    null);
        }
        if (type.equals("image")) {
            if (!isPngOrJpeg(bytes)) {
                return new Upload(new Refusal(INVALID_MEDIA_FILE_TYPE, "an image must be JPG or PNG"), null, null);
            }
            if (bytes.length > MAX_TEMPORARY_IMAGE_BYTES) {
                return new Upload(new Refusal(INVALID_IMAGE_SIZE, "an image must be at most 10 MB"), null, null);
            }
        }
        String id = String.format("3MEDIA%08d%s", ++mediaSeq, Long.toHexString(now.getEpochSecond()));
        Instant created = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        media.put(id, created);
        return new Upload(null, id, created);
    }

    /** What media/uploadimg answered: a refusal, or the image's permanent URL. */
    public record ImageUrl(Refusal refusal, String url) {
    }

    /**
     * media/uploadimg (上传图片, https://developer.work.weixin.qq.com/document/path/90256): a JPG or PNG of 5 B to
     * 2 MB; the URL it answers lasts for ever.
     */
    public synchronized ImageUrl uploadImg(String fileName, byte[] bytes, Instant now) {
        if (bytes == null || bytes.length < MIN_FILE_BYTES || bytes.length > MAX_UPLOADIMG_BYTES) {
            return new ImageUrl(new Refusal(INVALID_IMAGE_SIZE, "an image must be 5 B to 2 MB"), null);
        }
        if (!isPngOrJpeg(bytes)) {
            return new ImageUrl(new Refusal(INVALID_MEDIA_FILE_TYPE, "an image must be JPG or PNG"), null);
        }
        String url = String.format("https://wework.qpic.cn/wwpic/%08d_%d/0", ++mediaSeq, now.getEpochSecond());
        imageUrls.add(url);
        return new ImageUrl(null, url);
    }

    /** 40007 unless the id was uploaded here less than 3 days ago. */
    private Refusal mediaId(String id, String field, Instant now) {
        Instant created = media.get(id);
        if (created == null) {
            return new Refusal(INVALID_MEDIA_ID, "invalid " + field + " '" + id + "'");
        }
        if (!now.isBefore(created.plus(MEDIA_LIFETIME))) {
            return new Refusal(INVALID_MEDIA_ID, "invalid " + field + " '" + id + "': uploaded " + created
                    + ", a temporary media id lasts 3 days");
        }
        return null;
    }

    // ---- welcome ----

    /** WeCom gave this welcome_code in the add_external_contact event at this time. */
    public synchronized void welcomeCodeIssued(String code, Instant at) {
        welcomeCodes.put(code, at);
    }

    /**
     * send_welcome_msg (发送新客户欢迎语, https://developer.work.weixin.qq.com/document/path/92137): welcome_code
     * required; within 20 s of the event and once (41051 after); text.content at most 4000 bytes; text or
     * attachments; attachments as in message tasks. A code never seen issued counts as issued now (tests that post
     * a callback straight to the function). Accepting uses the code.
     */
    public synchronized Refusal sendWelcome(JsonNode body, Instant now) {
        Refusal r = required("externalcontact/send_welcome_msg", body);
        if (r != null) {
            return r;
        }
        String code = body.path("welcome_code").asText();
        if (usedWelcomeCodes.contains(code)) {
            return new Refusal(WELCOME_CODE_USED, "welcome_code already used");
        }
        Instant issued = welcomeCodes.getOrDefault(code, now);
        if (now.isAfter(issued.plus(WELCOME_CODE_LIFETIME))) {
            return new Refusal(WELCOME_CODE_USED, "welcome_code expired: given " + issued + ", valid 20 seconds");
        }
        r = content(body, TEMPLATE_ATTACHMENTS, now);
        if (r != null) {
            return r;
        }
        usedWelcomeCodes.add(code);
        welcomeCodes.remove(code);
        return null;
    }

    // ---- message tasks ----

    /**
     * add_msg_template (创建企业群发, https://developer.work.weixin.qq.com/document/path/92135): chat_type single or
     * group; a group task needs its sender; text or attachments; text.content at most 4000 bytes; at most 9
     * attachments, each complete for its msgtype (an image's media_id or pic_url, a Mini Program card's title,
     * pic_media_id, appid and page) with live media ids.
     */
    public synchronized Refusal msgTemplate(JsonNode body, Instant now) {
        String chatType = body.hasNonNull("chat_type") ? body.path("chat_type").asText() : "single";
        if (!chatType.equals("single") && !chatType.equals("group")) {
            return new Refusal(INVALID_PARAMETER, "invalid chat_type, must be single or group");
        }
        String sender = body.path("sender").asText("");
        if (chatType.equals("group") && sender.isBlank()) {
            return new Refusal(INVALID_PARAMETER, "a group message task needs its sender (the group owner)");
        }
        if (chatType.equals("single") && strings(body.path("external_userid")).isEmpty() && sender.isBlank()) {
            return new Refusal(INVALID_PARAMETER, "external_userid and sender must not both be empty");
        }
        return content(body, TEMPLATE_ATTACHMENTS, now);
    }

    /**
     * The customers of a single-chat task who reached the corp's per-customer limit for the period (see
     * {@link CustomerTaskLimit}): WeCom lists them in fail_list and does not deliver to them.
     */
    public synchronized List<String> overLimit(List<String> customers, Instant now) {
        LocalDate day = now.atZone(WECOM_ZONE).toLocalDate();
        LocalDate from = limit.periodStart(day);
        int allowed = limit.allowed(day);
        List<String> out = new ArrayList<>();
        for (String c : customers) {
            long received = tasks.getOrDefault(c, List.of()).stream().filter(d -> !d.isBefore(from)).count();
            if (received >= allowed) {
                out.add(c);
            }
        }
        return out;
    }

    /** The task reached these customers: they count against the limit. */
    public synchronized void taskDelivered(List<String> customers, Instant now) {
        LocalDate day = now.atZone(WECOM_ZONE).toLocalDate();
        LocalDate keepFrom = day.minusDays(32);
        for (String c : customers) {
            List<LocalDate> days = tasks.computeIfAbsent(c, k -> new ArrayList<>());
            days.removeIf(d -> d.isBefore(keepFrom));
            days.add(day);
        }
    }

    /** add_moment_task (95094): text or attachments; attachments only image, video or link, with live media. */
    public synchronized Refusal momentTask(JsonNode body, Instant now) {
        return content(body, MOMENT_ATTACHMENTS, now);
    }

    // ---- content ----

    private Refusal content(JsonNode body, Set<String> types, Instant now) {
        String text = body.path("text").path("content").asText("");
        JsonNode attachments = body.path("attachments");
        boolean hasAttachments = attachments.isArray() && !attachments.isEmpty();
        if (text.isBlank() && !hasAttachments) {
            return new Refusal(INVALID_PARAMETER, "text.content and attachments must not both be empty");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            return new Refusal(INVALID_PARAMETER, "text.content is over " + MAX_TEXT_BYTES + " bytes");
        }
        if (!hasAttachments) {
            return null;
        }
        if (attachments.size() > MAX_ATTACHMENTS) {
            return new Refusal(INVALID_PARAMETER, "at most " + MAX_ATTACHMENTS + " attachments");
        }
        for (JsonNode a : attachments) {
            Refusal r = attachment(a, types, now);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Each attachment must be complete for its msgtype (pages 92135, 92137). */
    private Refusal attachment(JsonNode a, Set<String> types, Instant now) {
        String type = a.path("msgtype").asText("");
        if (!types.contains(type)) {
            return new Refusal(INVALID_MSGTYPE, "invalid attachment msgtype '" + type + "'");
        }
        JsonNode c = a.path(type);
        switch (type) {
            case "image": {
                String id = c.path("media_id").asText("");
                String url = c.path("pic_url").asText("");
                if (!id.isBlank()) {
                    return mediaId(id, "image.media_id", now);
                }
                if (url.isBlank()) {
                    return new Refusal(INVALID_PARAMETER, "image needs media_id or pic_url");
                }
                // pic_url: "仅可使用上传图片接口得到的链接" (media/uploadimg)
                return imageUrls.contains(url) ? null
                        : new Refusal(INVALID_PARAMETER, "image.pic_url must be a URL media/uploadimg gave");
            }
            case "link":
                return c.path("title").asText("").isBlank() || c.path("url").asText("").isBlank()
                        ? new Refusal(INVALID_PARAMETER, "link needs title and url") : null;
            case "miniprogram": {
                for (String f : List.of("title", "pic_media_id", "appid", "page")) {
                    if (c.path(f).asText("").isBlank()) {
                        return new Refusal(INVALID_PARAMETER, "miniprogram." + f + " missing");
                    }
                }
                if (c.path("title").asText().getBytes(StandardCharsets.UTF_8).length > MAX_MINIPROGRAM_TITLE_BYTES) {
                    return new Refusal(INVALID_PARAMETER, "miniprogram.title is over " + MAX_MINIPROGRAM_TITLE_BYTES
                            + " bytes");
                }
                return mediaId(c.path("pic_media_id").asText(), "miniprogram.pic_media_id", now);
            }
            default: {
                String id = c.path("media_id").asText("");
                return id.isBlank() ? new Refusal(INVALID_PARAMETER, type + ".media_id missing")
                        : mediaId(id, type + ".media_id", now);
            }
        }
    }

    private static boolean isPngOrJpeg(byte[] b) {
        boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
        boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
        return png || jpeg;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
