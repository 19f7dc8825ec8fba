package dev.siyu.core.group;

import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a group of a blueprint type needs in WeCom: its own join way (add_join_way, QR code), which every invite
 * to it carries, and the type's auto_welcome as a group welcome template. Made once per group: what is stored
 * is not made again, so the callbacks and {@code ./siyu groups assign} may all call it. A WeCom refusal leaves
 * the field empty for the next call to try again; it never fails the caller.
 */
public final class GroupSetup {
    private static final System.Logger LOG = System.getLogger(GroupSetup.class.getName());
    /** WeCom truncates a join way's remark at 30 characters (add_join_way). */
    static final int MAX_REMARK = 30;

    private final ScrmConfig config;
    private final GroupStore groups;
    private final WeComApi wecom;

    public GroupSetup(ScrmConfig config, GroupStore groups, WeComApi wecom) {
        this.config = config;
        this.groups = groups;
        this.wecom = wecom;
    }

    /** Makes what the typed group lacks; returns what was done, for the log ("join_way", "welcome_template"). */
    public Map<String, String> ensure(Group group) {
        Map<String, String> done = new LinkedHashMap<>();
        Optional<GroupType> type = group.groupType() == null ? Optional.empty() : config.groupType(group.groupType());
        if (type.isEmpty()) {
            return done;
        }
        if (group.joinConfigId() == null) {
            try {
                String remark = type.get().name().length() > MAX_REMARK
                        ? type.get().name().substring(0, MAX_REMARK) : type.get().name();
                WeComApi.JoinWay way = wecom.addJoinWay(List.of(group.chatId()), null, remark);
                groups.setJoinWay(group.tenant(), group.chatId(), way.configId(), way.qrCode());
                done.put("join_way", way.configId());
            } catch (WeComApiException e) {
                done.put("join_way_errcode", Integer.toString(e.errcode()));
                LOG.log(Level.WARNING, JsonLog.line("join way not made", "tenant", group.tenant(),
                        "chat_id", group.chatId(), "errcode", e.errcode()));
            }
        }
        String welcome = type.get().autoWelcome();
        if (group.welcomeTemplateId() == null && welcome != null && !welcome.isBlank()) {
            // One template per type: WeCom holds at most 100, and every group of the type says the same.
            Optional<String> existing = groups.groups(group.tenant()).stream()
                    .filter(g -> type.get().name().equals(g.groupType()) && g.welcomeTemplateId() != null)
                    .map(Group::welcomeTemplateId).findFirst();
            try {
                String id = existing.isPresent() ? existing.get() : wecom.addGroupWelcomeTemplate(welcome);
                groups.setWelcomeTemplate(group.tenant(), group.chatId(), id);
                done.put("welcome_template", id);
            } catch (WeComApiException e) {
                done.put("welcome_template_errcode", Integer.toString(e.errcode()));
                LOG.log(Level.WARNING, JsonLog.line("group welcome template not made", "tenant", group.tenant(),
                        "chat_id", group.chatId(), "errcode", e.errcode()));
            }
        }
        return done;
    }
}
