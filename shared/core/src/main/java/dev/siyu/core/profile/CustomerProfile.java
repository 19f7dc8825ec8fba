package dev.siyu.core.profile;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One customer of one tenant. channel is the state of the channel code they came through;
 * identities maps {@link IdentityType#key()} to the value; activity is what the customer did since.
 * version is the stored copy this one was read from (0: never stored); a store writes a profile only
 * over that same version, so a copy read earlier never overwrites a later change (docs/data-model.md).
 * A profile found to be the same person as another is merged into it and kept only as a pointer (its
 * identities hold {@link #MERGED_INTO}): it is no customer of its own any more (see {@link #mergedInto()}).
 */
public record CustomerProfile(String tenant, String customerId, String name, String avatar, String channel,
                              String channelName, String storeId, String city, Set<String> tags,
                              Map<String, StaffRelationship> relationships, Map<String, String> identities,
                              Instant createdAt, Instant updatedAt, Activity activity, long version) {

    public CustomerProfile {
        activity = activity == null ? Activity.NONE : activity;
        tags = new TreeSet<>(tags);
        relationships = Map.copyOf(relationships);
        identities = Map.copyOf(identities);
    }

    /**
     * The identities key under which a merged profile names the customer it was merged into: a pointer, not an
     * alias item (nothing looks customers up by it), kept with the identities so every store keeps it as is.
     */
    public static final String MERGED_INTO = "merged_into";

    /**
     * The customer this profile was merged into (the same person, found by unionid), if it was: its journeys
     * exit at their next step, triggers for it start nothing, and the scans skip it.
     */
    public Optional<String> mergedInto() {
        return Optional.ofNullable(identities.get(MERGED_INTO));
    }

    /** This profile as merged into survivor. */
    public CustomerProfile mergedInto(String survivor, Instant at) {
        Map<String, String> next = new LinkedHashMap<>(identities);
        next.put(MERGED_INTO, survivor);
        return new CustomerProfile(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags,
                relationships, next, createdAt, at, activity, version);
    }

    public String externalUserId() {
        return identities.get(IdentityType.EXTERNAL_USERID.key());
    }

    public CustomerProfile withRelationship(StaffRelationship r, Instant at) {
        Map<String, StaffRelationship> next = new LinkedHashMap<>(relationships);
        next.put(r.staffUserId(), r);
        return new CustomerProfile(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags, next,
                identities, createdAt, at, activity, version);
    }

    public CustomerProfile withTags(Set<String> added, Set<String> removed, Instant at) {
        Set<String> next = new TreeSet<>(tags);
        next.removeAll(removed);
        next.addAll(added);
        return new CustomerProfile(tenant, customerId, name, avatar, channel, channelName, storeId, city, next,
                relationships, identities, createdAt, at, activity, version);
    }

    public CustomerProfile withIdentity(IdentityType type, String value, Instant at) {
        Map<String, String> next = new LinkedHashMap<>(identities);
        next.put(type.key(), value);
        return new CustomerProfile(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags,
                relationships, next, createdAt, at, activity, version);
    }

    public CustomerProfile withContact(String newName, String newAvatar, Instant at) {
        return new CustomerProfile(tenant, customerId, newName == null ? name : newName,
                newAvatar == null ? avatar : newAvatar, channel, channelName, storeId, city, tags, relationships,
                identities, createdAt, at, activity, version);
    }

    /** A customer never stored yet (version 0). */
    public CustomerProfile(String tenant, String customerId, String name, String avatar, String channel,
                           String channelName, String storeId, String city, Set<String> tags,
                           Map<String, StaffRelationship> relationships, Map<String, String> identities,
                           Instant createdAt, Instant updatedAt, Activity activity) {
        this(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags, relationships, identities,
                createdAt, updatedAt, activity, 0);
    }

    /** A customer with no activity recorded yet. */
    public CustomerProfile(String tenant, String customerId, String name, String avatar, String channel,
                           String channelName, String storeId, String city, Set<String> tags,
                           Map<String, StaffRelationship> relationships, Map<String, String> identities,
                           Instant createdAt, Instant updatedAt) {
        this(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags, relationships, identities,
                createdAt, updatedAt, Activity.NONE);
    }

    public CustomerProfile withActivity(Activity next, Instant at) {
        return new CustomerProfile(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags,
                relationships, identities, createdAt, at, next, version);
    }

    /** This profile as the store holds it at version v (stores only). */
    public CustomerProfile atVersion(long v) {
        return new CustomerProfile(tenant, customerId, name, avatar, channel, channelName, storeId, city, tags,
                relationships, identities, createdAt, updatedAt, activity, v);
    }

    /**
     * The staff members the customer is an active contact of, longest-standing first (ties by user id),
     * so every caller picks the same one.
     */
    public List<String> activeStaff() {
        return relationships.values().stream()
                .filter(r -> r.status() == StaffRelationship.Status.ACTIVE)
                .sorted(Comparator.comparing((StaffRelationship r) -> r.since() == null ? Instant.EPOCH : r.since())
                        .thenComparing(StaffRelationship::staffUserId))
                .map(StaffRelationship::staffUserId)
                .toList();
    }

    /** True when the customer may not be reached through this staff member (deleted either way). */
    public boolean suppressedThrough(String staffUserId) {
        StaffRelationship r = relationships.get(staffUserId);
        return r != null && r.suppressed();
    }
}
