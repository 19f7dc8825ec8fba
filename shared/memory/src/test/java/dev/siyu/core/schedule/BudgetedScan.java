package dev.siyu.core.schedule;

import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.memory.MemoryCustomerStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The memory store's profiles, at most {@code perCall} per call of a pass, continued by pass name: what a
 * store with checkpoints and a time budget does when a job runs out of time (DynamoProfileScan, tested
 * against DynamoDB Local).
 */
final class BudgetedScan implements ProfileScan {
    private final MemoryCustomerStore customers;
    private final int perCall;
    private final Map<String, Integer> done = new HashMap<>();
    private final List<String> passes = new ArrayList<>();

    BudgetedScan(MemoryCustomerStore customers, int perCall) {
        this.customers = customers;
        this.perCall = perCall;
    }

    List<String> passes() {
        return passes;
    }

    @Override
    public void forEach(String tenant, Consumer<CustomerProfile> action) {
        customers.forEach(tenant, action);
    }

    @Override
    public Pass pass(String tenant, String pass, Consumer<CustomerProfile> action) {
        passes.add(pass);
        List<CustomerProfile> all = new ArrayList<>();
        customers.forEach(tenant, all::add);
        all.sort(Comparator.comparing(CustomerProfile::customerId));
        int from = done.getOrDefault(pass, 0);
        int to = Math.min(all.size(), from + perCall);
        all.subList(from, to).forEach(action);
        done.put(pass, to);
        return new Pass(pass, to == all.size(), to - from);
    }
}
