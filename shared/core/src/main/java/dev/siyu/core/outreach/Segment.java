package dev.siyu.core.outreach;

import dev.siyu.core.profile.CustomerProfile;
import java.util.Set;

/**
 * Who a mass send is for: customers with all of {@code tags} whose lifecycle stage is any of {@code stages}
 * (the stage codes of dev.siyu.core.schedule.LifecycleStage). An empty set does not narrow.
 */
public record Segment(Set<String> tags, Set<String> stages) {
    public static final Segment EVERYONE = new Segment(Set.of(), Set.of());

    public Segment {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        stages = stages == null ? Set.of() : Set.copyOf(stages);
    }

    public boolean contains(CustomerProfile p) {
        return p.tags().containsAll(tags) && (stages.isEmpty() || stages.contains(p.activity().stage()));
    }
}
