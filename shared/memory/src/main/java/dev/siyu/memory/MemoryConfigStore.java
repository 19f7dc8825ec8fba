package dev.siyu.memory;

import dev.siyu.core.port.ConfigStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Each tenant's config versions in memory, numbered from 1 as the table numbers them. */
public final class MemoryConfigStore implements ConfigStore {
    private final Map<String, List<String>> versions = new ConcurrentHashMap<>();

    @Override
    public synchronized long save(String tenant, String yamlText) {
        List<String> all = versions.computeIfAbsent(tenant, t -> new ArrayList<>());
        all.add(yamlText);
        return all.size();
    }

    @Override
    public Optional<String> current(String tenant) {
        return currentVersion(tenant).map(Version::yamlText);
    }

    @Override
    public synchronized Optional<Version> currentVersion(String tenant) {
        List<String> all = versions.getOrDefault(tenant, List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(new Version(all.size(), all.get(all.size() - 1)));
    }

    @Override
    public synchronized Optional<String> version(String tenant, long number) {
        List<String> all = versions.getOrDefault(tenant, List.of());
        return number < 1 || number > all.size() ? Optional.empty() : Optional.of(all.get((int) number - 1));
    }
}
