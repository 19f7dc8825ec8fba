package dev.siyu.core.profile;

import java.util.Set;
import java.util.TreeSet;

/**
 * A change to a customer's profile, applied to the latest stored copy rather than to one read earlier:
 * a store that finds the profile changed since it was read applies the change again to the new copy, so
 * two writers (a callback's delete and a job's scan copy) never undo each other. A change may be applied
 * more than once (once per conflict), so it decides from the copy it is given, never from state it keeps.
 */
@FunctionalInterface
public interface ProfileChange {
    /** The profile after the change; null when, on this copy, nothing is to change. */
    CustomerProfile apply(CustomerProfile current);

    /**
     * What a journey step did to the copy it read (its stage, its low priority, the tags it added), as a
     * change on the latest copy: relationships, identities, consent and everything else written since
     * stay as they are. A tag the step removed is removed only when the copy read still had it.
     */
    static ProfileChange asStepLeft(CustomerProfile read, CustomerProfile changed) {
        return current -> {
            Set<String> added = new TreeSet<>(changed.tags());
            added.removeAll(read.tags());
            Set<String> removed = new TreeSet<>(read.tags());
            removed.removeAll(changed.tags());
            Activity a = current.activity();
            Activity stepped = a;
            if (!java.util.Objects.equals(read.activity().stage(), changed.activity().stage())) {
                stepped = stepped.withStage(changed.activity().stage());
            }
            if (read.activity().lowPriority() != changed.activity().lowPriority()) {
                stepped = stepped.withLowPriority(changed.activity().lowPriority());
            }
            CustomerProfile next = current.withTags(added, removed, changed.updatedAt()).withActivity(stepped,
                    changed.updatedAt());
            return next.tags().equals(current.tags()) && next.activity().equals(a) ? null : next;
        };
    }

    /**
     * The same when the copy the step read is not at hand (a store committing a step's profile that met a
     * newer version): the step's stage and low priority, and its tags added; no tag removed.
     */
    static ProfileChange asStepLeft(CustomerProfile changed) {
        CustomerProfile read = new CustomerProfile(changed.tenant(), changed.customerId(), changed.name(),
                changed.avatar(), changed.channel(), changed.channelName(), changed.storeId(), changed.city(),
                Set.<String>of(), changed.relationships(), changed.identities(), changed.createdAt(), changed.updatedAt(),
                changed.activity().withStage(null).withLowPriority(!changed.activity().lowPriority()));
        return asStepLeft(read, changed);
    }
}
