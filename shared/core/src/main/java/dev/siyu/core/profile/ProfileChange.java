package dev.siyu.core.profile;

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
}
