package dev.siyu.core.miniapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.schedule.PerkPolicy;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryMiniProgram;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The perk limit (at most max_perks_per_30_days claims in 30 days) holds when redemptions race with different
 * request ids, and a claim whose process died right after its points were spent still counts.
 */
class PerkLimitTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOKEN_KEY = "test-session-token-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final IdentityKeys KEYS = new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8));

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T02:00:00Z"));
    private final Ports memory = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    private final AtomicBoolean crashOnClaim = new AtomicBoolean();
    /** The store, with a process crash armed for the append of a perk_claimed event (after the posting). */
    private final CustomerStore customers = (CustomerStore) Proxy.newProxyInstance(CustomerStore.class.getClassLoader(),
            new Class<?>[] {CustomerStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("append") && ((List<?>) args[2]).stream()
                        .anyMatch(e -> ((TimelineEvent) e).kind().equals(PerkPolicy.PERK_CLAIMED))
                        && crashOnClaim.getAndSet(false)) {
                    throw new InstanceCrash("crash after the posting");
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
    private final MemberServices members = new MemberServices(new Engine(ports, EXAMPLE, 1, null, clock,
            Engine.Settings.inline()), new MemoryPointsLedger(customers), KEYS);
    private final MemoryMiniProgram wechat = new MemoryMiniProgram(clock);
    private final SessionTokens tokens = new SessionTokens(TOKEN_KEY, Duration.ofHours(2));
    private final MemberEndpoint endpoint = new MemberEndpoint(() -> members, new MemoryMemberDetailsStore(), wechat,
            tokens, new PhoneSeal("test-member-data-key-0001".getBytes(StandardCharsets.UTF_8)), KEYS,
            new MemberCodes(TOKEN_KEY));

    private record Reply(int status, JsonNode body) { }

    private Reply redeem(String token, String requestId) {
        MemberEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest("POST", "/miniapp/rewards/coupon-50/redeem",
                Map.of(), Map.of("content-type", "application/json", "Authorization", "Bearer " + token),
                "{\"request_id\":\"" + requestId + "\"}", false));
        try {
            return new Reply(r.status(), JSON.readTree(r.body()));
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    /** A member with plenty of points, past the observation days: only the 30-day limit can refuse a perk. */
    private String[] member(String code) {
        MemberEndpoint.Reply login = endpoint.handle(new dev.siyu.core.http.HttpRequest("POST", "/miniapp/login", Map.of(),
                Map.of("content-type", "application/json"), "{\"code\":\"" + code + "\"}", false));
        assertThat(login.status()).isEqualTo(200);
        String openid = MemoryMiniProgram.openidOf(code);
        String body = "{\"order_id\":\"O-" + code + "\",\"customer\":{\"openid\":\"" + openid + "\"},\"amount\":"
                + "\"50000.00\",\"currency\":\"CNY\",\"at\":\"" + clock.instant() + "\",\"lines\":[{\"sku\":\"SK-1\","
                + "\"category\":\"skincare\",\"quantity\":1,\"amount\":\"50000.00\"}]}";
        String id = members.orders().ingest(new IngestJson(KEYS, "CNY").order("pos",
                body.getBytes(StandardCharsets.UTF_8), clock.instant())).customerId();
        clock.advance(Duration.ofDays(EXAMPLE.community().observationDays() + 1));
        return new String[] {id, tokens.issue(TENANT, id, openid, clock.instant())};
    }

    private long claims(String customerId) {
        return ports.customers().timeline(TENANT, customerId).stream()
                .filter(e -> e.kind().equals(PerkPolicy.PERK_CLAIMED)).count();
    }

    @Test
    void redemptionsRacingWithDifferentRequestIdsNeverExceedTheLimit() throws Exception {
        String[] m = member("code-race-1");
        int limit = EXAMPLE.community().maxPerksPer30Days();
        int racers = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String requestId = "req-race-" + String.format("%04d", i);
            replies.add(pool.submit(() -> {
                start.await();
                return redeem(m[1], requestId);
            }));
        }
        start.countDown();
        int granted = 0;
        for (Future<Reply> r : replies) {
            Reply reply = r.get(60, TimeUnit.SECONDS);
            if (reply.status() == 200) {
                granted++;
            } else {
                assertThat(reply.body().path("verdict").asText()).as(reply.body().toString()).isEqualTo("over_threshold");
            }
        }
        pool.shutdown();

        assertThat(granted).isEqualTo(limit);
        assertThat(claims(m[0])).isEqualTo(limit);
        assertThat(ports.customers().profile(TENANT, m[0]).orElseThrow().activity().perksClaimed()).isEqualTo(limit);
    }

    @Test
    void aClaimCutShortAfterItsPostingStillCounts() {
        String[] m = member("code-crash-1");
        int limit = EXAMPLE.community().maxPerksPer30Days();

        crashOnClaim.set(true);
        assertThatThrownBy(() -> redeem(m[1], "req-crash-0000")).isInstanceOf(InstanceCrash.class);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= limit; i++) {
            statuses.add(redeem(m[1], "req-crash-000" + i).status());
        }
        assertThat(statuses).as("the crashed claim took one of the " + limit).containsExactly(200, 200, 409);

        Reply retry = redeem(m[1], "req-crash-0000");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().path("status").asText()).isEqualTo("duplicate");
        assertThat(claims(m[0])).as("the retry restores the lost perk_claimed event").isEqualTo(limit);
        assertThat(ports.customers().profile(TENANT, m[0]).orElseThrow().activity().perksClaimed()).isEqualTo(limit);
    }
}
