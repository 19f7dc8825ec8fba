package dev.siyu.memory;

import dev.siyu.core.miniapp.MemberDetails;
import dev.siyu.core.miniapp.MemberDetailsStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Members' Mini Program details in memory, each written only over the version it was read at. */
public final class MemoryMemberDetailsStore implements MemberDetailsStore {
    private final Map<String, MemberDetails> byCustomer = new ConcurrentHashMap<>();

    @Override
    public Optional<MemberDetails> details(String tenant, String customerId) {
        return Optional.ofNullable(byCustomer.get(tenant + "#" + customerId));
    }

    @Override
    public boolean save(String tenant, MemberDetails d) {
        String key = tenant + "#" + d.customerId();
        boolean[] saved = {false};
        byCustomer.compute(key, (k, had) -> {
            long stored = had == null ? 0 : had.version();
            if (stored != d.version()) {
                return had;
            }
            saved[0] = true;
            return d.atVersion(stored + 1);
        });
        return saved[0];
    }
}
