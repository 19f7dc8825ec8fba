package dev.siyu.memory;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.port.ChannelStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

public final class MemoryChannelStore implements ChannelStore {
    private final Map<String, ChannelCode> codes = new ConcurrentHashMap<>();

    @Override
    public void save(String tenant, ChannelCode code) {
        codes.put(tenant + "#" + code.state(), code);
    }

    @Override
    public Optional<ChannelCode> byState(String tenant, String state) {
        return Optional.ofNullable(codes.get(tenant + "#" + state));
    }

    @Override
    public List<ChannelCode> all(String tenant) {
        return codes.entrySet().stream().filter(e -> e.getKey().startsWith(tenant + "#"))
                .map(Map.Entry::getValue).toList();
    }
}
