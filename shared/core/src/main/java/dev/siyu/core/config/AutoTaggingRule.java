package dev.siyu.core.config;

import java.util.List;

/** trigger is the operator's words from the seed; the daily rules of the journeys issue evaluate them. */
public record AutoTaggingRule(String trigger, List<String> addTags, List<String> removeTags) {
    public AutoTaggingRule {
        addTags = List.copyOf(addTags);
        removeTags = List.copyOf(removeTags);
    }
}
