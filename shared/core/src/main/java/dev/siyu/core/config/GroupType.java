package dev.siyu.core.config;

/**
 * A customer group type; entryCondition is a CEL expression over `customer` (empty = anyone).
 *
 * @param inviteText what community care's invite to a type with an entry condition says ({@code {group_type}}
 *                   becomes the type's name); null for a type nobody is invited up to
 */
public record GroupType(String name, int maxMembers, String entryCondition, String autoWelcome, String sopTemplate,
                        String inviteText) {
    /** A type nobody is invited up to. */
    public GroupType(String name, int maxMembers, String entryCondition, String autoWelcome, String sopTemplate) {
        this(name, maxMembers, entryCondition, autoWelcome, sopTemplate, null);
    }
}
