package dev.siyu.core.channel;

import dev.siyu.core.config.RoutingType;
import java.util.List;

/**
 * A created channel code: the WeCom contact way (configId, qrUrl) behind one state. staff is who
 * the contact way currently routes to; storeId is set for location_based codes.
 */
public record ChannelCode(String name, RoutingType type, String state, String configId, String qrUrl,
                          List<String> staff, String pool, String storeId) {
    public ChannelCode {
        staff = List.copyOf(staff);
    }

    public ChannelCode routedTo(List<String> newStaff) {
        return new ChannelCode(name, type, state, configId, qrUrl, newStaff, pool, storeId);
    }
}
