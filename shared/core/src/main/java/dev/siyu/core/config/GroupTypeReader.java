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
            "sop_template", "invite_text", "match");
    static final List<String> MATCH_KEYS = List.of("owners", "name_pattern");

    private final ProblemLog log;
    private final ConditionCheck conditions;
    /** Group type name -> its sop_template as written, for invites and the SOP calendar check. */
    private final Map<String, Optional<YamlMap.Item>> templates = new LinkedHashMap<>();

    private final java.util.Set<String> staff;

    GroupTypeReader(ProblemLog log, ConditionCheck conditions, java.util.Set<String> staff) {
        this.log = log;
        this.conditions = conditions;
        this.staff = java.util.Set.copyOf(staff);
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
            Optional<GroupType.Match> match = item.map("match", false).flatMap(this::match);
            name.ifPresent(n -> names.add(n, item.at("name")));
            name.ifPresent(n -> templates.putIfAbsent(n,
                    sopTemplate.map(t -> new YamlMap.Item(t, item.at("sop_template")))));
            if (name.isPresent() && maxMembers.isPresent() && autoWelcome.isPresent() && sopTemplate.isPresent()) {
                groups.add(new GroupType(name.get(), maxMembers.get(), condition.orElse(""), autoWelcome.get(),
                        sopTemplate.get(), inviteText.orElse(null), match.orElse(null)));
            }
        }
        return groups;
    }

    /**
     * {@code match: {owners: [userid, ...], name_pattern: '<regex>'}}: owners must be staff of the blueprint,
     * the pattern a Java regular expression found anywhere in the group's name; one of the two at least.
     */
    private Optional<GroupType.Match> match(YamlMap m) {
        m.allowOnly(MATCH_KEYS);
        boolean valid = true;
        java.util.Set<String> owners = new java.util.TreeSet<>();
        for (YamlMap.Item owner : m.strings("owners", false).orElse(List.of())) {
            if (!staff.contains(owner.value())) {
                log.add(owner.where(), "owner " + owner.value() + " is not a staff member of this blueprint"
                        + " (staff: " + String.join(", ", new java.util.TreeSet<>(staff)) + ")");
                valid = false;
            }
            owners.add(owner.value());
        }
        Optional<String> written = m.string("name_pattern", false);
        if (written.isPresent()) {
            try {
                java.util.regex.Pattern.compile(written.get());
            } catch (java.util.regex.PatternSyntaxException e) {
                log.add(m.at("name_pattern"), "name_pattern is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
                valid = false;
            }
        }
        if (owners.isEmpty() && written.isEmpty()) {
            log.add(m.where(), "match needs owners or name_pattern (or both), else it would take every group");
            valid = false;
        }
        return valid ? Optional.of(new GroupType.Match(owners, written.orElse(null))) : Optional.empty();
    }
}
