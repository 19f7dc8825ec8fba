package dev.siyu.core.config;

import java.util.List;

/**
 * One channel code (渠道活码) as the operator writes it. state is what WeCom echoes back in the
 * add_external_contact callback, so it identifies the channel (and, for location_based, the store).
 * {@link ConfigLoader} resolves both: state defaults to channel_tracking, then to a slug of the name;
 * channelTracking defaults to the state, so neither is ever null.
 */
public record ChannelCodeSpec(String name, RoutingType type, List<String> staffPools, String welcomeMessage,
                              List<String> autoTags, String channelTracking, String state) {
    public static final int MAX_STATE_LENGTH = 30;

    public ChannelCodeSpec {
        staffPools = List.copyOf(staffPools);
        autoTags = List.copyOf(autoTags);
    }

    /** The state of this channel's contact way at a store: "{state}.{store_id}". */
    public String stateAt(Store store) {
        return state + "." + store.storeId();
    }

    /** The concrete pool name at a store: "store_staff_{city}" becomes "store_staff_shanghai". */
    public List<String> poolsAt(Store store) {
        return staffPools.stream().map(p -> p.replace("{city}", store.city())).toList();
    }
}
