package dev.siyu.core.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A customer group type; entryCondition is a CEL expression over `customer` (empty = anyone).
 *
 * @param inviteText what community care's invite to a type with an entry condition says ({@code {group_type}}
 *                   becomes the type's name); null for a type nobody is invited up to
 * @param match      which WeCom groups are of this type without the operator saying so; null: only those the
 *                   operator assigns ({@code ./siyu groups assign})
 */
public record GroupType(String name, int maxMembers, String entryCondition, String autoWelcome, String sopTemplate,
                        String inviteText, Match match) {
    public GroupType(String name, int maxMembers, String entryCondition, String autoWelcome, String sopTemplate,
                     String inviteText) {
        this(name, maxMembers, entryCondition, autoWelcome, sopTemplate, inviteText, null);
    }

    /** A type nobody is invited up to. */
    public GroupType(String name, int maxMembers, String entryCondition, String autoWelcome, String sopTemplate) {
        this(name, maxMembers, entryCondition, autoWelcome, sopTemplate, null);
    }

    /** Whether a group of this owner and name is of this type by the blueprint's rule. */
    public boolean matches(String owner, String groupName) {
        return match != null && match.test(owner, groupName);
    }

    /**
     * {@code group_config.types[].match}: a WeCom group is of the type when its owner is one of owners (empty: any
     * owner) and its name matches namePattern (null: any name); at least one of the two is given.
     */
    public record Match(Set<String> owners, String namePattern) {
        /** @param namePattern a regular expression the blueprint's validation compiled already */
        public Match {
            owners = Set.copyOf(owners);
        }

        boolean test(String owner, String groupName) {
            // Compiled per test: it runs once per group callback, and the record stays comparable by value.
            return (owners.isEmpty() || owners.contains(owner)) && (namePattern == null
                    || (groupName != null && Pattern.compile(namePattern).matcher(groupName).find()));
        }
    }

    /** The first type (in blueprint order) whose rule takes the group, or null. */
    public static GroupType byRule(List<GroupType> types, String owner, String groupName) {
        return types.stream().filter(t -> t.matches(owner, groupName)).findFirst().orElse(null);
    }
}
