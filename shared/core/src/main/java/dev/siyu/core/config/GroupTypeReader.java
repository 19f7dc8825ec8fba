package dev.siyu.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code scrm_config.group_config}: the kinds of customer group, who may enter and which SOP they follow. */
final class GroupTypeReader {
    static final List<String> GROUP_CONFIG_KEYS = List.of("types");
    static final List<String> GROUP_TYPE_KEYS = List.of("name", "max_members", "entry_condition", "auto_welcome",
            "sop_template", "invite_text");

    private final ProblemLog log;
    private final ConditionCheck conditions;
    /** Group type name -> its sop_template as written, for invites and the SOP calendar check. */
    private final Map<String, Optional<YamlMap.Item>> templates = new LinkedHashMap<>();

    GroupTypeReader(ProblemLog log, ConditionCheck conditions) {
        this.log = log;
        this.conditions = conditions;
    }

    /** Every group type name read, also of a group with other problems, in file order. */
    Map<String, Optional<YamlMap.Item>> templates() {
        return templates;
    }

    List<GroupType> read(YamlMap section) {
        List<GroupType> groups = new ArrayList<>();
        Optional<YamlMap> groupConfig = section.map("group_config", false);
        if (groupConfig.isEmpty()) {
            return groups;
        }
        groupConfig.get().allowOnly(GROUP_CONFIG_KEYS);
        UniqueNames names = new UniqueNames(log, "group type name");
        for (YamlMap item : groupConfig.get().maps("types", true).orElse(List.of())) {
            item.allowOnly(GROUP_TYPE_KEYS);
            Optional<String> name = item.string("name", true);
            Optional<Integer> maxMembers = item.integer("max_members", true).filter(m -> {
                if (m >= 1 && m <= ConfigLoader.MAX_GROUP_MEMBERS) {
                    return true;
                }
                log.add(item.at("max_members"), "max_members " + m + " is outside 1.." + ConfigLoader.MAX_GROUP_MEMBERS
                        + " (a WeCom customer group holds at most " + ConfigLoader.MAX_GROUP_MEMBERS + ")");
                return false;
            });
            Optional<String> condition = conditions.read(item, "entry_condition", false);
            Optional<String> autoWelcome = item.string("auto_welcome", true);
            Optional<String> sopTemplate = item.string("sop_template", true);
            // Community care invites qualifying customers up to a type with an entry condition: with what words
            // is the operator's to say, not a default of ours.
            Optional<String> inviteText = item.string("invite_text", condition.isPresent());
            name.ifPresent(n -> names.add(n, item.at("name")));
            name.ifPresent(n -> templates.putIfAbsent(n,
                    sopTemplate.map(t -> new YamlMap.Item(t, item.at("sop_template")))));
            if (name.isPresent() && maxMembers.isPresent() && autoWelcome.isPresent() && sopTemplate.isPresent()) {
                groups.add(new GroupType(name.get(), maxMembers.get(), condition.orElse(""), autoWelcome.get(),
                        sopTemplate.get(), inviteText.orElse(null)));
            }
        }
        return groups;
    }
}
