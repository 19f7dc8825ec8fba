package dev.siyu.sim;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.engine.Ports;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryMiniProgram;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClockHolder;
import dev.siyu.memory.faults.Faults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        Ports ports = MemoryPorts.create(wecom);
        Simulation sim = new Simulation(config, 1, conditions, ports, wecom,
                wecom.groupChats(), settings, start,
                engine -> event -> {
                    // What the callback endpoint answers 503 for: WeCom sees no success and retries.
                    if (engine.callbacks().process(event).inProgress()) {
                        throw new IllegalStateException("callback in progress elsewhere (503)");
                    }
                }, members(ports, wecom, holder), faults);
        holder.set(sim.clock());
        return sim;
    }

    /** The simulation's stand-ins for the deployment's secrets: the in-memory world has no config/local.env. */
    private static final Map<String, byte[]> SOURCE_SECRETS = Map.of(
            MemberWorld.POS, bytes("siyu-simulation-pos-secret-0001"),
            MemberWorld.WEBSHOP, bytes("siyu-simulation-webshop-secret-01"));

    /** The miniapp-api function's stores in memory, over the same customers, and WeChat's Mini Program in memory. */
    static MemberWorld members(Ports ports, RecordingWeComApi wecom, java.time.Clock clock) {
        MemoryMiniProgram miniProgram = new MemoryMiniProgram(clock);
        SimulatedWeChat weChat = new SimulatedWeChat() {
            @Override
            public void loginCodeIssued(String code, String firstCode) {
                miniProgram.codeIssued(code, firstCode);
            }

            @Override
            public String openidOf(String firstCode) {
                return MemoryMiniProgram.openidOf(firstCode);
            }

            @Override
            public String unionidOf(String firstCode) {
                return MemoryMiniProgram.unionidOf(firstCode);
            }

            @Override
            public void contactUnionId(String externalUserId, String unionId) {
                wecom.contactUnionId(externalUserId, unionId);
            }

            @Override
            public void subscribed(String openid, String templateId) {
                miniProgram.subscribed(openid, templateId);
            }

            @Override
            public String staffOAuthCode(String staffUserId) {
                return wecom.oauthCode(staffUserId);
            }
        };
        return new MemberWorld(new MemoryPointsLedger(ports.customers()), new MemoryMemberDetailsStore(), miniProgram,
                weChat, SOURCE_SECRETS, bytes("siyu-simulation-miniapp-token-key-0001"),
                bytes("siyu-simulation-miniapp-data-key-0001"), bytes("siyu-simulation-identity-hash-key-01"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
