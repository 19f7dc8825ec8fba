package dev.siyu.core.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.ingest.Order;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import dev.siyu.memory.faults.InstanceCrash;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Orders that reach the absorbed customer while a merge is cut short by a crash are not stranded there: the
 * merge, finished later, takes everything the absorbed customer has by then, and nothing is counted twice.
 */
class OrdersDuringCrashedMergeTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);

    private final VirtualClock clock = new VirtualClock(T0.plus(Duration.ofHours(1)));
    private final Ports memory = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    private final AtomicBoolean crashOnMark = new AtomicBoolean();
    private final AtomicBoolean crashOnCombine = new AtomicBoolean();
    /** The store, with a process crash armed for the update that marks a profile merged. */
    private final CustomerStore customers = (CustomerStore) Proxy.newProxyInstance(CustomerStore.class.getClassLoader(),
            new Class<?>[] {CustomerStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("update") && args.length == 4 && ((List<?>) args[3]).stream()
                        .anyMatch(e -> ((dev.siyu.core.profile.TimelineEvent) e).kind().equals("merged_into"))
                        && crashOnMark.getAndSet(false)) {
                    throw new InstanceCrash("crash before the merge's mark");
                }
                if (method.getName().equals("update") && args.length == 4 && ((List<?>) args[3]).stream()
                        .anyMatch(e -> ((dev.siyu.core.profile.TimelineEvent) e).kind().equals("customer_merged"))
                        && crashOnCombine.getAndSet(false)) {
                    throw new InstanceCrash("crash after the merge's mark, before the survivor took the activity");
                }
                try {
                    return method.invoke(memory.customers(), args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final Ports ports = new Ports(customers, memory.snapshots(), memory.profiles(), memory.runs(),
            memory.counters(), memory.decisions(), memory.groups(), memory.channels(), memory.loads(),
            memory.transfers(), memory.tenantLog(), memory.timers(), memory.steps(), memory.triggers(), memory.configs(),
            memory.wecom(), memory.media(), memory.desk(), memory.subscriptions(), memory.miniProgram());
    private final MemberServices members = new MemberServices(
            new Engine(ports, EXAMPLE, 1, null, clock, Engine.Settings.inline()), new MemoryPointsLedger(customers),
            new IdentityKeys(KEY));

    private Order order(String id, String customer, String amount, Instant at) {
        String body = "{\"order_id\":\"" + id + "\",\"customer\":{" + customer + "},\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"at\":\"" + at + "\",\"lines\":[{\"sku\":\"SK-1\",\"category\":\"skincare\","
                + "\"quantity\":1,\"amount\":\"" + amount + "\"}]}";
        return new IngestJson(new IdentityKeys(KEY), "CNY").order("pos", body.getBytes(StandardCharsets.UTF_8),
                clock.instant());
    }

    @Test
    void anOrderBetweenACrashedMergeAndItsCompletionReachesTheSurvivor() {
        String a = members.orders().ingest(order("M-1", "\"pos_member_id\":\"P-1\"", "100.00", T0)).customerId();
        clock.advance(Duration.ofMinutes(1));
        String b = members.orders().ingest(order("M-2", "\"openid\":\"o-1\",\"phone\":\"+8613900139001\"", "200.00",
                T0.plusSeconds(30))).customerId();
        clock.advance(Duration.ofMinutes(1));

        crashOnMark.set(true);
        assertThatThrownBy(() -> members.orders().ingest(order("M-3",
                "\"pos_member_id\":\"P-1\",\"phone\":\"+8613900139001\"", "10.00", T0.plusSeconds(60))))
                .isInstanceOf(InstanceCrash.class);
        assertThat(customers.profile(TENANT, b).orElseThrow().mergedInto()).as("the crash came before the mark").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        members.orders().ingest(order("M-4", "\"openid\":\"o-1\"", "500.00", T0.plusSeconds(90)));
        members.orders().ingest(order("M-3", "\"pos_member_id\":\"P-1\",\"phone\":\"+8613900139001\"", "10.00",
                T0.plusSeconds(60)));

        CustomerProfile survivor = customers.profile(TENANT, a).orElseThrow();
        assertThat(customers.profile(TENANT, b).orElseThrow().mergedInto()).contains(a);
        assertThat(survivor.activity().points().balance()).as("100 + 200 and 500 moved once + 10").isEqualTo(810);
        assertThat(customers.profile(TENANT, b).orElseThrow().activity().points().balance()).as("nothing stranded")
                .isZero();
        assertThat(survivor.activity().orderCount()).as("combined once").isEqualTo(4);
        assertThat(customers.timeline(TENANT, a)).filteredOn(e -> e.kind().equals("purchase"))
                .extracting(e -> e.details().get("order_id")).containsExactlyInAnyOrder("M-1", "M-2", "M-3", "M-4");
        assertThat(members.identities().owner(TENANT, members.json().order("pos", ("{\"order_id\":\"x\",\"customer\":"
                + "{\"openid\":\"o-1\"},\"amount\":\"1.00\",\"currency\":\"CNY\",\"at\":\"" + T0 + "\",\"lines\":[{\"sku\":"
                + "\"s\",\"category\":\"c\",\"quantity\":1,\"amount\":\"1.00\"}]}").getBytes(StandardCharsets.UTF_8),
                clock.instant()).identities().get(0))).contains(a);
        assertThat(List.of(a, b)).doesNotHaveDuplicates();
    }

    @Test
    void aMergeCutShortAfterItsMarkIsFinishedBeforeTheNextOrderOfTheAbsorbedCustomer() {
        String a = members.orders().ingest(order("N-1", "\"pos_member_id\":\"P-2\"", "100.00", T0)).customerId();
        clock.advance(Duration.ofMinutes(1));
        String b = members.orders().ingest(order("N-2", "\"openid\":\"o-2\",\"phone\":\"+8613900139002\"", "200.00",
                T0.plusSeconds(30))).customerId();
        clock.advance(Duration.ofMinutes(1));

        crashOnCombine.set(true);
        assertThatThrownBy(() -> members.orders().ingest(order("N-3",
                "\"pos_member_id\":\"P-2\",\"phone\":\"+8613900139002\"", "10.00", T0.plusSeconds(60))))
                .isInstanceOf(InstanceCrash.class);
        assertThat(customers.profile(TENANT, b).orElseThrow().mergedInto()).as("marked before the crash").contains(a);

        clock.advance(Duration.ofMinutes(1));
        var next = members.orders().ingest(order("N-4", "\"openid\":\"o-2\"", "500.00", T0.plusSeconds(90)));

        CustomerProfile survivor = customers.profile(TENANT, a).orElseThrow();
        assertThat(next.customerId()).isEqualTo(a);
        assertThat(survivor.activity().points().balance()).as("100 + 200 moved + 500").isEqualTo(800);
        assertThat(survivor.activity().orderCount()).isEqualTo(3);
        assertThat(customers.profile(TENANT, b).orElseThrow().activity().points().balance()).isZero();
        assertThat(customers.timeline(TENANT, a)).filteredOn(e -> e.kind().equals("customer_merged")).hasSize(1);
    }
}
