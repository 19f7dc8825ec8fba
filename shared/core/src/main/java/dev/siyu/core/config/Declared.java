package dev.siyu.core.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the earlier sections of a blueprint declared, for the later ones that refer to it: tags
 * (actions, cycles, community), group types (invites, SOP calendars) and staff pools (offboarding).
 *
 * @param tagsKnown      false when tag_system itself was wrong: tag checks are skipped then, since
 *                       that problem is reported already
 * @param groupTemplates group type name -> its sop_template (absent when the group did not name one)
 * @param pictures       whether a picture file exists under the blueprint's directory; null when the blueprint
 *                       was read as text with no directory (the files were checked where it was applied)
 */
record Declared(boolean tagsKnown, Set<String> tags, Map<String, Optional<YamlMap.Item>> groupTemplates,
                Set<String> pools, Predicate<String> pictures, Set<String> subscriptionTemplates) {
    Declared {
        subscriptionTemplates = Set.copyOf(subscriptionTemplates);
        tags = Set.copyOf(tags);
        groupTemplates = Map.copyOf(groupTemplates);
        pools = Set.copyOf(pools);
    }

    /** True when miniapp.subscription_templates declares it; else reported. */
    boolean checkSubscriptionTemplate(YamlMap.Item template, ProblemLog log) {
        if (subscriptionTemplates.contains(template.value())) {
            return true;
        }
        String message = Suggestions.unknown("subscription template", template.value(),
                new TreeSet<>(subscriptionTemplates));
        log.add(template.where(), subscriptionTemplates.isEmpty()
                ? message + ": declare it under miniapp.subscription_templates" : message);
        return false;
    }

    void checkTag(YamlMap.Item tag, ProblemLog log) {
        if (tagsKnown && !tags.contains(tag.value())) {
            log.add(tag.where(), unknownTag(tag.value(), tags));
        }
    }

    static String unknownTag(String tag, Set<String> declared) {
        String message = "unknown tag '" + tag + "': it is in no tag_system dimension (declare it there)";
        return Suggestions.closest(tag, new TreeSet<>(declared))
                .map(c -> message + "; did you mean '" + c + "'?").orElse(message);
    }

    /** True when the group type exists; else reported. */
    boolean checkGroupType(YamlMap.Item groupType, ProblemLog log) {
        if (groupTemplates.containsKey(groupType.value())) {
            return true;
        }
        log.add(groupType.where(), Suggestions.unknown("group type", groupType.value(),
                new TreeSet<>(groupTemplates.keySet())));
        return false;
    }

    /** A picture file (an image, a Mini Program card's cover) must be there to be uploaded; else reported. */
    boolean checkPicture(YamlMap.Item picture, ProblemLog log) {
        String p = picture.value();
        if (!p.matches("[A-Za-z0-9_./-]+\\.(png|jpg|jpeg)") || p.startsWith("/") || p.contains("..")) {
            log.add(picture.where(), "picture '" + p + "' must be a .png or .jpg file under the blueprint's"
                    + " directory, such as media/guide-card.png");
            return false;
        }
        if (pictures != null && !pictures.test(p)) {
            log.add(picture.where(), "picture file '" + p + "' does not exist under the blueprint's directory");
            return false;
        }
        return true;
    }

    void checkPool(YamlMap.Item pool, ProblemLog log) {
        if (!pools.contains(pool.value())) {
            log.add(pool.where(), Suggestions.unknown("staff pool", pool.value(), new TreeSet<>(pools)));
        }
    }
}
