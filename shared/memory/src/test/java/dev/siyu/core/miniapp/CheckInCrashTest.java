package dev.siyu.core.miniapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryMiniProgram;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A check-in a crash cut short between the visit and its journey trigger: the till sees an error and scans again,
 * by then with a fresh code; the member has one visit and its trigger.
 */
class CheckInCrashTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOKEN_KEY = "test-session-token-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STAFF_KEY = "test-staff-session-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final IdentityKeys KEYS = new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8));

    // 10:00 in Shanghai, the example brand's zone.
    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T02:00:00Z"));
    private final RecordingWeComApi wecom = new RecordingWeComApi(clock);
    private final MemoryQueue triggers = new MemoryQueue();
    private final java.util.concurrent.atomic.AtomicBoolean crashEnqueue = new java.util.concurrent.atomic.AtomicBoolean();
    private final dev.siyu.core.port.JourneyQueue crashing = (dev.siyu.core.port.JourneyQueue) java.lang.reflect.Proxy
            .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {dev.siyu.core.port.JourneyQueue.class},
            (proxy, method, args) -> {
                if (method.getName().equals("enqueue") && crashEnqueue.compareAndSet(true, false)) {
                    throw new dev.siyu.memory.faults.InstanceCrash("Lambda died before the trigger was sent");
                }
                try {
                    return method.invoke(triggers, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final Ports ports = MemoryPorts.create(wecom).withQueues(new MemoryQueue(), crashing, new MemoryTimerStore());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
    private final MemberServices members = new MemberServices(new Engine(ports, EXAMPLE, 1, null, clock,
            Engine.Settings.inline()), ledger, KEYS);
    private final MemoryMemberDetailsStore details = new MemoryMemberDetailsStore();
    private final MemberEndpoint memberRoutes = new MemberEndpoint(() -> members, details, new MemoryMiniProgram(clock),
            new SessionTokens(TOKEN_KEY, Duration.ofHours(2)), new PhoneSeal("test-member-data-key-0001"
            .getBytes(StandardCharsets.UTF_8)), KEYS, new MemberCodes(TOKEN_KEY));
    private final StaffEndpoint staffRoutes = new StaffEndpoint(() -> members, new StaffSessions(STAFF_KEY, clock),
            new MemberCodes(TOKEN_KEY));

    record Reply(int status, JsonNode body) { }

    private Reply call(String method, String path, String token, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        dev.siyu.core.http.HttpRequest request = new dev.siyu.core.http.HttpRequest(method, path, Map.of(), headers, body, false);
        MemberEndpoint.Reply r = path.startsWith(StaffEndpoint.PREFIX) ? staffRoutes.handle(request)
                : memberRoutes.handle(request);
        try {
            return new Reply(r.status(), JSON.readTree(r.body()));
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private String memberToken(String code) {
        Reply r = call("POST", "/miniapp/login", null, "{\"code\":\"" + code + "\"}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().path("token").asText();
    }

    private String staffToken(String userid) {
        Reply r = call("POST", "/miniapp/staff/session", null, "{\"code\":\"" + wecom.oauthCode(userid) + "\"}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("userid").asText()).isEqualTo(userid);
        assertThat(r.body().path("expires_in").asLong()).isEqualTo(StaffSessions.LIFETIME.toSeconds());
        return r.body().path("token").asText();
    }

    private String memberCode(String memberToken) {
        return call("GET", "/miniapp/member-code", memberToken, null).body().path("code").asText();
    }

    private Reply checkIn(String staffToken, String code, String store) {
        return call("POST", "/miniapp/staff/check-in", staffToken,
                "{\"member_code\":\"" + code + "\",\"store\":\"" + store + "\"}");
    }

    private List<TimelineEvent> visits(String customerId) {
        return ports.customers().timeline(TENANT, customerId).stream()
                .filter(e -> StoreCheckIn.STORE_VISIT.equals(e.kind())).toList();
    }

    @Test
    void aCrashBeforeTheTriggerIsFinishedByTheRescanWithoutASecondVisit() {
        String member = memberToken("code-visitor-rev");
        String customerId = call("GET", "/miniapp/me", member, null).body().path("customer_id").asText();
        String staff = staffToken("zhangsan");
        String code = memberCode(member);
        crashEnqueue.set(true);
        try {
            checkIn(staff, code, "sh01");
        } catch (dev.siyu.memory.faults.InstanceCrash expected) {
            // API Gateway answers 502
        }
        clock.advance(Duration.ofSeconds(125));
        Reply sameCode = checkIn(staff, code, "sh01");
        long storeVisitTriggersAfterRetry = triggers.sent().stream().filter(s -> s.trigger() != null
                && "store_visit".equals(s.trigger().kind())).count();
        Reply fresh = checkIn(staff, memberCode(member), "sh01");
        long storeVisitTriggers = triggers.sent().stream().filter(s -> s.trigger() != null
                && "store_visit".equals(s.trigger().kind())).count();
        assertThat(sameCode.status()).as("the code expired while the till waited").isEqualTo(400);
        assertThat(storeVisitTriggersAfterRetry).isZero();
        assertThat(fresh.status()).as(fresh.body().toString()).isEqualTo(200);
        assertThat(visits(customerId)).as("one visit at the till").hasSize(1);
        assertThat(storeVisitTriggers).as("the visit's journey trigger, sent by the rescan").isGreaterThanOrEqualTo(1);
        assertThat(triggers.sent().stream().filter(s -> s.trigger() != null
                && "store_visit".equals(s.trigger().kind())).map(s -> s.trigger().at()).distinct())
                .containsExactly(visits(customerId).get(0).at());
        assertThat(fresh.body().path("visited_at").asText()).isEqualTo(visits(customerId).get(0).at().toString());
    }
}
