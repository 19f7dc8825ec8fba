package dev.siyu.analytics.profiles;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Models kept in memory: the simulator and tests, where a model outlives an engine instance but not the run. */
public final class MemoryModelStore implements ModelStore {
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public void save(String tenant, String file, byte[] content) {
        files.put(tenant + "/" + file, content.clone());
    }

    @Override
    public Optional<byte[]> load(String tenant, String file) {
        return Optional.ofNullable(files.get(tenant + "/" + file)).map(byte[]::clone);
    }
}
