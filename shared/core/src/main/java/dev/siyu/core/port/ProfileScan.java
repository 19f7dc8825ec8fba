package dev.siyu.core.port;

import dev.siyu.core.profile.CustomerProfile;
import java.util.function.Consumer;

/**
 * Every profile of a tenant, for the daily jobs (rules, stages, condition triggers). Never used on a
 * request path: it reads the whole tenant.
 */
public interface ProfileScan {
    void forEach(String tenant, Consumer<CustomerProfile> action);
}
