package dev.siyu.core.gate;

import dev.siyu.core.profile.StaffRelationship;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the caller read about the customer before asking the gate; the gate itself reads nothing.
 *
 * @param relationships     by staff UserID, as in {@link dev.siyu.core.profile.CustomerProfile#relationships()}
 * @param leftGroups        groups the customer left; nothing reaches them through those groups again
 * @param mix               the customer's latest touches
 * @param groupMixes        each group's latest posts, by groupId; group messages are measured against these
 * @param zone              the customer's time zone; null when unknown (the tenant's zone applies)
 * @param platformCapUntil  when WeCom answered errcode 41048 for this customer, the time it allows mass
 *                          messages again; null when it did not
 */
public record CustomerState(String customerId, Consent consent, Map<String, StaffRelationship> relationships,
                            Set<String> leftGroups, Counters counters, ContentMix mix,
                            Map<String, ContentMix> groupMixes, ZoneId zone, Instant platformCapUntil) {

    public CustomerState {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(mix, "mix");
        relationships = Map.copyOf(relationships);
        leftGroups = Set.copyOf(leftGroups);
        groupMixes = Map.copyOf(groupMixes);
    }

    /** A customer with no consent, relationships, history or counts yet. */
    public static CustomerState of(String customerId) {
        return new CustomerState(customerId, Consent.NONE, Map.of(), Set.of(), Counters.NONE, ContentMix.EMPTY,
                Map.of(), null, null);
    }

    public Optional<ZoneId> knownZone() {
        return Optional.ofNullable(zone);
    }

    public ContentMix groupMix(String groupId) {
        return groupMixes.getOrDefault(groupId, ContentMix.EMPTY);
    }

    public CustomerState withConsent(Consent c) {
        return new CustomerState(customerId, c, relationships, leftGroups, counters, mix, groupMixes, zone,
                platformCapUntil);
    }

    public CustomerState withRelationship(StaffRelationship r) {
        Map<String, StaffRelationship> next = new HashMap<>(relationships);
        next.put(r.staffUserId(), r);
        return new CustomerState(customerId, consent, next, leftGroups, counters, mix, groupMixes, zone,
                platformCapUntil);
    }

    public CustomerState withLeftGroup(String groupId) {
        Set<String> next = new HashSet<>(leftGroups);
        next.add(groupId);
        return new CustomerState(customerId, consent, relationships, next, counters, mix, groupMixes, zone,
                platformCapUntil);
    }

    public CustomerState withCounters(Counters c) {
        return new CustomerState(customerId, consent, relationships, leftGroups, c, mix, groupMixes, zone,
                platformCapUntil);
    }

    public CustomerState withMix(ContentMix m) {
        return new CustomerState(customerId, consent, relationships, leftGroups, counters, m, groupMixes, zone,
                platformCapUntil);
    }

    public CustomerState withGroupMix(String groupId, ContentMix m) {
        Map<String, ContentMix> next = new HashMap<>(groupMixes);
        next.put(groupId, m);
        return new CustomerState(customerId, consent, relationships, leftGroups, counters, mix, next, zone,
                platformCapUntil);
    }

    public CustomerState withZone(ZoneId z) {
        return new CustomerState(customerId, consent, relationships, leftGroups, counters, mix, groupMixes, z,
                platformCapUntil);
    }

    public CustomerState withPlatformCapUntil(Instant until) {
        return new CustomerState(customerId, consent, relationships, leftGroups, counters, mix, groupMixes, zone,
                until);
    }
}
