package dev.siyu.core.config;

import dev.siyu.core.gate.Guardrails;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import dev.siyu.core.journey.Journey;

/**
 * The operator blueprint (config/scrm.example.yaml), validated. Built only by {@link ConfigLoader},
 * so every instance has passed validation: pools exist, states are unique and <= 30 chars, etc.
 */
public record ScrmConfig(String tenant, ZoneId timezone, List<StaffMember> staff, List<Store> stores,
                         List<ChannelCodeSpec> channelCodes, TagSystem tagSystem,
                         List<AutoTaggingRule> autoTaggingRules, List<GroupType> groupTypes,
                         Guardrails guardrails, List<Journey> journeys, SopCalendar sopCalendar,
                         Community community, Community.Offboarding offboarding, ScriptLibrary scripts,
                         Membership membership, ScoringSettings scoring, MiniappSettings miniapp) {

    public ScrmConfig {
        miniapp = miniapp == null ? MiniappSettings.NONE : miniapp;
        scripts = scripts == null ? ScriptLibrary.EMPTY : scripts;
        scoring = scoring == null ? ScoringSettings.DEFAULTS : scoring;
        Objects.requireNonNull(guardrails, "guardrails");
        journeys = List.copyOf(journeys);
        sopCalendar = sopCalendar == null ? SopCalendar.EMPTY : sopCalendar;
        community = community == null ? Community.DEFAULTS : community;
        offboarding = offboarding == null ? Community.Offboarding.DEFAULTS : offboarding;
        membership = membership == null ? Membership.NONE : membership;
        staff = List.copyOf(staff);
        stores = List.copyOf(stores);
        channelCodes = List.copyOf(channelCodes);
        autoTaggingRules = List.copyOf(autoTaggingRules);
        groupTypes = List.copyOf(groupTypes);
    }

    /** A blueprint without staff scripts or a membership section, with the default scoring settings. */
    public ScrmConfig(String tenant, ZoneId timezone, List<StaffMember> staff, List<Store> stores,
                      List<ChannelCodeSpec> channelCodes, TagSystem tagSystem, List<AutoTaggingRule> autoTaggingRules,
                      List<GroupType> groupTypes, Guardrails guardrails, List<Journey> journeys, SopCalendar sopCalendar,
                      Community community, Community.Offboarding offboarding) {
        this(tenant, timezone, staff, stores, channelCodes, tagSystem, autoTaggingRules, groupTypes, guardrails,
                journeys, sopCalendar, community, offboarding, null, null, null, null);
    }

    /** A blueprint without journeys, calendars or community rules (the defaults apply). */
    public ScrmConfig(String tenant, ZoneId timezone, List<StaffMember> staff, List<Store> stores,
                      List<ChannelCodeSpec> channelCodes, TagSystem tagSystem, List<AutoTaggingRule> autoTaggingRules,
                      List<GroupType> groupTypes, Guardrails guardrails) {
        this(tenant, timezone, staff, stores, channelCodes, tagSystem, autoTaggingRules, groupTypes, guardrails,
                List.of(), null, null, null, null, null, null, null);
    }

    public Optional<Journey> journey(String name) {
        return journeys.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    public Optional<GroupType> groupType(String name) {
        return groupTypes.stream().filter(g -> g.name().equals(name)).findFirst();
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
