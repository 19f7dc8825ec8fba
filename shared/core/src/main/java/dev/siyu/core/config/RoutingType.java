package dev.siyu.core.config;

import java.util.Arrays;
import java.util.Optional;

/** How a channel code picks the staff member a scanning customer is routed to. */
public enum RoutingType {
    /** The least-loaded staff member in the pool who still has friend-adds left today. */
    AUTO_ASSIGN("auto_assign"),
    /** The next staff member in a rotation persisted in the table. */
    ROUND_ROBIN("round_robin"),
    /** One contact way per store, served by the store_staff_{city} pool of that store's city. */
    LOCATION_BASED("location_based");

    private final String configName;

    RoutingType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<RoutingType> fromConfig(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
    }
}
