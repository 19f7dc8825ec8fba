package dev.siyu.memory;

import dev.siyu.core.port.MediaCache;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link MediaCache} in memory: the DynamoDB media item's twin. */
public final class MemoryMediaCache implements MediaCache {
    private final Map<String, Uploaded> entries = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> file(String tenant, String picture) {
        return Optional.ofNullable(files.get(tenant + "\n" + picture)).map(byte[]::clone);
    }

    @Override
    public void storeFile(String tenant, String picture, byte[] bytes) {
        files.put(tenant + "\n" + picture, bytes.clone());
    }

    @Override
    public Optional<Uploaded> get(String tenant, String picture) {
        return Optional.ofNullable(entries.get(tenant + "\n" + picture));
    }

    @Override
    public void put(String tenant, Uploaded uploaded) {
        entries.put(tenant + "\n" + uploaded.picture(), uploaded);
    }
}
