package dev.siyu.core.port;

import dev.siyu.core.channel.ChannelCode;
import java.util.List;
import java.util.Optional;

/** Created channel codes of a tenant, by state. */
public interface ChannelStore {
    void save(String tenant, ChannelCode code);

    Optional<ChannelCode> byState(String tenant, String state);

    List<ChannelCode> all(String tenant);
}
