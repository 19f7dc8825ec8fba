package dev.siyu.core.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.ingest.Order;
import dev.siyu.core.ingest.OrderIngest;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An order sent again after its customer was merged into another posts nothing: its id came along with the merge. */
class OrderReplayAfterMergeTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    private final VirtualClock clock = new VirtualClock(T0.plus(Duration.ofHours(1)));
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
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
    void anOrderSentAgainAfterAMergeEarnsNothing() {
        OrderIngest.Outcome x = members.orders().ingest(order("A-1", "\"pos_member_id\":\"P-9\"", "100.00", T0));
        clock.advance(Duration.ofMinutes(5));
        Order a2 = order("A-2", "\"phone\":\"138 0013 8000\"", "300.00", T0.plusSeconds(60));
        OrderIngest.Outcome y = members.orders().ingest(a2);
        clock.advance(Duration.ofMinutes(5));
        OrderIngest.Outcome both = members.orders().ingest(order("A-3", "\"pos_member_id\":\"P-9\",\"phone\":\"138 0013 8000\"", "10.00", T0.plusSeconds(120)));
        OrderIngest.Outcome replay = members.orders().ingest(a2);
        assertThat(replay.status()).isEqualTo("duplicate");
        assertThat(replay.customerId()).isEqualTo(both.customerId());
        assertThat(replay.balance()).as("100 + 300 + 10, the replay adding nothing").isEqualTo(410);
        assertThat(ports.customers().profile(TENANT, replay.customerId()).orElseThrow().activity().orderCount())
                .isEqualTo(3);
    }
}
