package dev.siyu.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code scrm_config.tag_system} (the tags a customer can carry, one dimension each) and
 * {@code auto_tagging_rules} (which event adds or removes which of them). Read tag_system first: the
 * rules, and the later sections, may only use tags it declares.
 */
final class TagReader {
    static final List<String> TAG_SYSTEM_KEYS = List.of("dimensions");
    static final List<String> DIMENSION_KEYS = List.of("name", "tags");
    static final List<String> RULE_KEYS = List.of("trigger", "when", "add_tags", "remove_tags");

    private final ProblemLog log;
    private final ConditionCheck conditions;
    private final Set<String> declaredTags = new HashSet<>();
    /** false while tag_system is missing or unreadable: tag checks are skipped then, its problem is reported. */
    private boolean tagSystemRead;

    TagReader(ProblemLog log, ConditionCheck conditions) {
        this.log = log;
        this.conditions = conditions;
    }

    /** Whether tag_system was read, and every tag its dimensions list (also those of a broken dimension). */
    boolean tagsKnown() {
        return tagSystemRead;
    }

    Set<String> declaredTags() {
        return Set.copyOf(declaredTags);
    }

    Optional<TagSystem> tagSystem(YamlMap section) {
        Optional<YamlMap> tagSystem = section.map("tag_system", true);
        if (tagSystem.isEmpty()) {
            return Optional.empty();
        }
        tagSystem.get().allowOnly(TAG_SYSTEM_KEYS);
        List<YamlMap> items = tagSystem.get().maps("dimensions", true).orElse(null);
        if (items == null) {
            return Optional.empty();
        }
        tagSystemRead = true;
        if (items.isEmpty()) {
            log.add(tagSystem.get().at("dimensions"), "at least one tag dimension is needed");
        }
        List<TagSystem.TagDimension> dimensions = new ArrayList<>();
        UniqueNames dimensionNames = new UniqueNames(log, "dimension name");
        Map<String, String> tagOwners = new HashMap<>();
        for (YamlMap item : items) {
            item.allowOnly(DIMENSION_KEYS);
            Optional<String> name = item.string("name", true);
            Optional<List<YamlMap.Item>> tags = item.strings("tags", true);
            name.ifPresent(n -> dimensionNames.add(n, item.at("name")));
            tags.ifPresent(ts -> {
                if (ts.isEmpty()) {
                    log.add(item.at("tags"), "a dimension needs at least one tag");
                }
                for (YamlMap.Item tag : ts) {
                    declaredTags.add(tag.value());
                    String owner = name.map(n -> "dimension '" + n + "'").orElse(item.where().path())
                            + " (line " + tag.where().line() + ")";
                    String first = tagOwners.putIfAbsent(tag.value(), owner);
                    if (first != null) {
                        // profiles keep tags by name, so one name in two dimensions would be ambiguous
                        log.add(tag.where(), "tag '" + tag.value() + "' is already in " + first
                                + "; a tag belongs to one dimension");
                    }
                }
            });
            if (name.isPresent() && tags.isPresent()) {
                dimensions.add(new TagSystem.TagDimension(name.get(), YamlMap.Item.values(tags.get())));
            }
        }
        return Optional.of(new TagSystem(dimensions));
    }

    List<AutoTaggingRule> autoTaggingRules(YamlMap section) {
        List<AutoTaggingRule> rules = new ArrayList<>();
        for (YamlMap item : section.maps("auto_tagging_rules", false).orElse(List.of())) {
            item.allowOnly(RULE_KEYS);
            Optional<String> trigger = item.string("trigger", true);
            Optional<String> when = conditions.read(item, "when", false);
            Optional<List<YamlMap.Item>> add = item.strings("add_tags", false);
            Optional<List<YamlMap.Item>> remove = item.strings("remove_tags", false);
            List<YamlMap.Item> added = add.orElse(List.of());
            List<YamlMap.Item> removed = remove.orElse(List.of());
            // a list with a wrong value was reported already; "changes nothing" would only repeat it
            boolean listsReadable = add.isPresent() == item.has("add_tags")
                    && remove.isPresent() == item.has("remove_tags");
            if (listsReadable && added.isEmpty() && removed.isEmpty()) {
                log.add(item.where(), "a rule must add or remove at least one tag");
            }
            Stream.concat(added.stream(), removed.stream()).forEach(this::checkDeclaredTag);
            Set<String> addedNames = new HashSet<>(YamlMap.Item.values(added));
            removed.stream().filter(r -> addedNames.contains(r.value())).forEach(r -> log.add(r.where(),
                    "tag '" + r.value() + "' is both added and removed by this rule"));
            if (trigger.isPresent()) {
                rules.add(new AutoTaggingRule(trigger.get(), when.orElse(null), YamlMap.Item.values(added),
                        YamlMap.Item.values(removed)));
            }
        }
        return rules;
    }

    private void checkDeclaredTag(YamlMap.Item tag) {
        if (!tagSystemRead || declaredTags.contains(tag.value())) {
            return;
        }
        log.add(tag.where(), Declared.unknownTag(tag.value(), declaredTags));
    }
}
