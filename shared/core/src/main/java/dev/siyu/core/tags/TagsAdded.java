package dev.siyu.core.tags;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code tag_added}: one timeline event per tag a customer gains, whoever added it (source: {@code channel} for a
 * channel code's auto tags, {@code staff} for a tag staff set in WeCom, {@code journey}, {@code rule}, ...), and
 * the journey trigger of the same name. Event ids are derived from the customer, tag and the occasion's key, so
 * a redone write rewrites the same events.
 */
public final class TagsAdded {
    public static final String KIND = "tag_added";

    private TagsAdded() {
    }

    /** The tags of after that before lacks, sorted. */
    public static Set<String> added(Set<String> before, Collection<String> after) {
        Set<String> out = new TreeSet<>(after);
        out.removeAll(before);
        return out;
    }

    /** @param key names the occasion (a callback's dedup key, a step's id): a redo of it gets the same ids */
    public static List<TimelineEvent> events(Ids ids, String customerId, Set<String> tags, String source, String staff,
                                             Instant at, String key) {
        List<TimelineEvent> out = new ArrayList<>(tags.size());
        for (String tag : tags) {
            out.add(new TimelineEvent(ids.derived("ev", at, KIND + "|" + customerId + "|" + tag + "|" + key), at, KIND,
                    staff, details(tag, source)));
        }
        return out;
    }

    /**
     * One trigger per tag, after the record is written; none when no journey of the blueprint starts or ends on
     * tag_added (a queue message per tag per new contact would buy nothing then).
     */
    public static void enqueue(ScrmConfig config, JourneyQueue journeys, String customerId, Set<String> tags,
                               String source, Instant at) {
        if (!wanted(config)) {
            return;
        }
        for (String tag : tags) {
            journeys.enqueue(new JourneyTrigger(config.tenant(), customerId, KIND, at, details(tag, source)));
        }
    }

    /** Whether a journey's trigger or goal is tag_added. */
    public static boolean wanted(ScrmConfig config) {
        return config.journeys().stream().anyMatch(j -> j.trigger().firesOn(KIND)
                || (j.goal() != null && KIND.equals(j.goal().event())));
    }

    public static Map<String, String> details(String tag, String source) {
        return Map.of("tag", tag, "source", source);
    }
}
