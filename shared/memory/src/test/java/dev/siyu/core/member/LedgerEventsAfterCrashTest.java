package dev.siyu.core.member;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.ingest.Order;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.siyu.core.port.PointsLedger;
import org.junit.jupiter.api.Test;

/**
 * A process that dies after the ledger's posting and before its timeline events are written: the retry answers
 * duplicate and still leaves every event of the posting on the timeline.
 */
class LedgerEventsAfterCrashTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    private final VirtualClock clock = new VirtualClock(T0.plus(Duration.ofHours(1)));
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    boolean[] crashNext = {true};
    CustomerStore crashing = (CustomerStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {CustomerStore.class}, (p, m, a) -> {
                if (m.getName().equals("append") && crashNext[0]) {
                    crashNext[0] = false;
                    throw new dev.siyu.memory.faults.InstanceCrash("crash inside append");
                }
                try { return m.invoke(ports.customers(), a); }
                catch (java.lang.reflect.InvocationTargetException e) { throw e.getCause(); }
            });
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(crashing);
    private final MemberServices members = new MemberServices(
            new Engine(ports, EXAMPLE, 1, null, clock, Engine.Settings.inline()), ledger,
            new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8)));

    private Order order(String id, String customer, String amount, Instant at) {
        String body = "{\"order_id\":\"" + id + "\",\"customer\":{" + customer + "},\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"at\":\"" + at + "\",\"lines\":[{\"sku\":\"SK-1\",\"category\":\"skincare\","
                + "\"quantity\":1,\"amount\":\"" + amount + "\"}]}";
        return new IngestJson(new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8)), "CNY")
                .order("pos", body.getBytes(StandardCharsets.UTF_8), clock.instant());
    }

    @Test
    void aCrashAfterThePostingLosesNoEvent() {
        Order o = order("A-1", "\"pos_member_id\":\"P-1\"", "2500.00", T0);
        assertThatThrownBy(() -> members.orders().ingest(o)).isInstanceOf(dev.siyu.memory.faults.InstanceCrash.class);
        var retry = members.orders().ingest(o);
        assertThat(retry.status()).isEqualTo("duplicate");
        assertThat(ports.customers().timeline(TENANT, retry.customerId())).extracting(TimelineEvent::kind)
                .contains("purchase", "first_purchase");

        crashNext[0] = true;
        assertThatThrownBy(() -> members.points().redeem(TENANT, retry.customerId(), "redeem-r1", 100, "mug",
                clock.instant())).isInstanceOf(dev.siyu.memory.faults.InstanceCrash.class);
        var again = members.points().redeem(TENANT, retry.customerId(), "redeem-r1", 100, "mug", clock.instant());
        assertThat(again.outcome()).isEqualTo(PointsLedger.Outcome.DUPLICATE);
        assertThat(ports.customers().timeline(TENANT, retry.customerId()))
                .filteredOn(e -> e.kind().equals("points_redeemed")).hasSize(1);
        assertThat(ports.customers().profile(TENANT, retry.customerId()).orElseThrow().activity().points().balance())
                .isEqualTo(2500 - 100);
    }
}
