package dev.siyu.core.callback;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.ChannelCodeSpec;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.config.Store;
import dev.siyu.core.port.ChannelStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "which channel code, spec, store and staff pool does this State belong to?". Codes are
 * read from the table once per state and kept: a code's state never changes once created.
 */
public final class ChannelDirectory {
    private final ScrmConfig config;
    private final ChannelStore channels;
    private final Map<String, ChannelCode> byState = new ConcurrentHashMap<>();

    public ChannelDirectory(ScrmConfig config, ChannelStore channels) {
        this.config = config;
        this.channels = channels;
    }

    public Optional<Channel> resolve(String state) {
        if (state == null || state.isEmpty()) {
            return Optional.empty();
        }
        Optional<ChannelCode> code = Optional.ofNullable(byState.get(state));
        if (code.isEmpty()) {
            code = channels.byState(config.tenant(), state);
            // A miss is not kept: `./siyu apply` may create the code while this instance runs.
            code.ifPresent(found -> byState.put(state, found));
        }
        return code.flatMap(c -> config.channelCodes().stream()
                .filter(spec -> spec.name().equals(c.name()))
                .findFirst()
                .map(spec -> new Channel(c, spec, c.storeId() == null ? Optional.empty() : config.store(c.storeId()),
                        config.pool(c.pool()))));
    }

    /** A created code with everything the callback needs to greet, tag and route its customers. */
    public record Channel(ChannelCode code, ChannelCodeSpec spec, Optional<Store> store, List<StaffMember> pool) { }
}
