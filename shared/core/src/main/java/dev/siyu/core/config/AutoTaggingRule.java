package dev.siyu.core.config;

import java.util.List;

/**
 * trigger is the operator's words from the seed; when is the same as a condition (CEL over
 * {@code customer}), which the daily rules evaluate. when is null only for blueprints written before
 * rules had one: such a rule is reported and never applied.
 */
public record AutoTaggingRule(String trigger, String when, List<String> addTags, List<String> removeTags) {
    public AutoTaggingRule {
        addTags = List.copyOf(addTags);
        removeTags = List.copyOf(removeTags);
    }

    public AutoTaggingRule(String trigger, List<String> addTags, List<String> removeTags) {
        this(trigger, null, addTags, removeTags);
    }
}
