package dev.siyu.core.config;

import dev.siyu.core.gate.Guardrails;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator blueprint (config/scrm.example.yaml), validated. Built only by {@link ConfigLoader},
 * so every instance has passed validation: pools exist, states are unique and <= 30 chars, etc.
 */
public record ScrmConfig(String tenant, ZoneId timezone, List<StaffMember> staff, List<Store> stores,
                         List<ChannelCodeSpec> channelCodes, TagSystem tagSystem,
                         List<AutoTaggingRule> autoTaggingRules, List<GroupType> groupTypes,
                         Guardrails guardrails) {

    public ScrmConfig {
        Objects.requireNonNull(guardrails, "guardrails");
        staff = List.copyOf(staff);
        stores = List.copyOf(stores);
        channelCodes = List.copyOf(channelCodes);
        autoTaggingRules = List.copyOf(autoTaggingRules);
        groupTypes = List.copyOf(groupTypes);
    }

    public Optional<StaffMember> staffMember(String userId) {
        return staff.stream().filter(s -> s.userId().equals(userId)).findFirst();
    }

    /** Staff in a pool, in config order (the order round-robin rotates through). */
    public List<StaffMember> pool(String poolName) {
        return staff.stream().filter(s -> s.pools().contains(poolName)).toList();
    }

    public Optional<Store> store(String storeId) {
        return stores.stream().filter(s -> s.storeId().equals(storeId)).findFirst();
    }
}
