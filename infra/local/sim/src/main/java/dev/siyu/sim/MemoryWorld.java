package dev.siyu.sim;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.port.GroupStore;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClockHolder;
import dev.siyu.memory.faults.Faults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a simulation on in-memory stores: the journey engine alone, for the benchmark and fast tests. */
public final class MemoryWorld {
    private MemoryWorld() {
    }

    /** The simulation on in-memory ports: callbacks go straight to the engine's callback processor. */
    public static Simulation create(ScrmConfig config, ConditionCompiler conditions, Simulation.Settings settings,
                                    Instant start) {
        return create(config, conditions, settings, start, Faults.none());
    }

    /** The same with faults injected into every port the engine uses. */
    public static Simulation create(ScrmConfig config, ConditionCompiler conditions, Simulation.Settings settings,
                                    Instant start, Faults faults) {
        VirtualClockHolder holder = new VirtualClockHolder();
        RecordingWeComApi wecom = new RecordingWeComApi(holder);
        // The simulated corp has the rule the blueprint says the real one has, so WeCom refuses what it would.
        wecom.rules().customerTaskLimit(dev.siyu.memory.rules.CustomerTaskLimit.of(
                config.guardrails().platformLimit()));
        Simulation sim = new Simulation(config, 1, conditions, MemoryPorts.create(wecom), wecom,
                wecom.groupChats(), settings, start,
                engine -> event -> {
                    // What the callback endpoint answers 503 for: WeCom sees no success and retries.
                    if (engine.callbacks().process(event).inProgress()) {
                        throw new IllegalStateException("callback in progress elsewhere (503)");
                    }
                }, faults);
        holder.set(sim.clock());
        return sim;
    }

    /** Groups for the population: enough perks groups for everyone, two VIP groups, owned by staff in turn. */
    public static List<GroupStore.Group> groups(ScrmConfig config, int customers, Instant at) {
        List<GroupStore.Group> out = new ArrayList<>();
        List<StaffMember> staff = config.staff();
        int n = 0;
        for (GroupType type : config.groupTypes()) {
            int count = type.entryCondition() == null ? Math.max(1, customers / Math.max(1, type.maxMembers()) + 1) : 2;
            for (int i = 1; i <= count; i++) {
                String owner = staff.get(n++ % staff.size()).userId();
                String chatId = "wrsim" + type.name().replaceAll("[^A-Za-z]", "").toLowerCase() + i;
                out.add(new GroupStore.Group(config.tenant(), chatId, type.name() + " #" + i, type.name(), owner, 0,
                        "active", at));
            }
        }
        return out;
    }
}
