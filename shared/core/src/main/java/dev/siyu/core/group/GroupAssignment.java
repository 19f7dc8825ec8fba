package dev.siyu.core.group;

import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.WeComApi;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator gives a customer group a blueprint type ({@code ./siyu groups assign CHAT_ID TYPE}; the admin API
 * will call the same): the type is stored (and kept over the blueprint's rules from then on), and the group gets
 * its join way and welcome template (GroupSetup).
 */
public final class GroupAssignment {
    private final ScrmConfig config;
    private final GroupStore groups;
    private final GroupSetup setup;

    public GroupAssignment(ScrmConfig config, GroupStore groups, WeComApi wecom) {
        this.config = config;
        this.groups = groups;
        this.setup = new GroupSetup(config, groups, wecom);
    }

    /** The group as stored after, with what setup made. */
    public record Assigned(Group group, Map<String, String> setup) { }

    /**
     * @throws IllegalArgumentException when the type is not one of the blueprint's or the group is not known
     *                                  (WeCom has not reported it: no change_external_chat create yet)
     */
    public Assigned assign(String chatId, String type) {
        GroupType t = config.groupType(type).orElseThrow(() -> new IllegalArgumentException("no group type \"" + type
                + "\" in the blueprint; its types: " + config.groupTypes().stream().map(GroupType::name)
                .collect(Collectors.joining(", "))));
        Group g = groups.group(config.tenant(), chatId).orElseThrow(() -> new IllegalArgumentException(
                "no customer group " + chatId + " is known yet (it is stored when WeCom reports it)"));
        groups.save(new Group(g.tenant(), g.chatId(), g.name(), t.name(), g.owner(), g.memberCount(), g.status(),
                g.createdAt()));
        Group typed = groups.group(config.tenant(), chatId).orElseThrow();
        Map<String, String> made = setup.ensure(typed);
        return new Assigned(groups.group(config.tenant(), chatId).orElse(typed), made);
    }
}
