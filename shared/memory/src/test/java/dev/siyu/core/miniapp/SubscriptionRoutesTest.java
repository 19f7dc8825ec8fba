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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST and GET /miniapp/subscriptions on the in-memory ports with the example blueprint, as the Mini Program calls
 * them after wx.requestSubscribeMessage: one accept is one message, answers for templates the blueprint does not
 * declare are refused naming the field, and a merge takes the member's subscriptions to the survivor.
 */
class SubscriptionRoutesTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOKEN_KEY = "test-session-token-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final IdentityKeys KEYS = new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8));
    private static final String REPURCHASE = EXAMPLE.miniapp().template("repurchase_reminder").orElseThrow()
            .templateId();
    private static final String REWARD = EXAMPLE.miniapp().template("reward_alert").orElseThrow().templateId();

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T02:00:00Z"));
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    private final MemberServices members = new MemberServices(new Engine(ports, EXAMPLE, 1, null, clock,
            Engine.Settings.inline()), new MemoryPointsLedger(ports.customers()), KEYS);
    private final MemberEndpoint endpoint = new MemberEndpoint(() -> members, new MemoryMemberDetailsStore(),
            new MemoryMiniProgram(clock), new SessionTokens(TOKEN_KEY, Duration.ofHours(2)),
            new PhoneSeal("test-member-data-key-0001".getBytes(StandardCharsets.UTF_8)), KEYS,
            new MemberCodes(TOKEN_KEY));

    record Reply(int status, JsonNode body) {
        JsonNode template(String name) {
            for (JsonNode s : body.path("subscriptions")) {
                if (s.path("template").asText().equals(name)) {
                    return s;
                }
            }
            throw new AssertionError("no " + name + " in " + body);
        }
    }

    private Reply call(String method, String path, String token, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        MemberEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest(method, path, Map.of(), headers, body, false));
        try {
            return new Reply(r.status(), JSON.readTree(r.body()));
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private String login(String code) {
        Reply r = call("POST", "/miniapp/login", null, "{\"code\":\"" + code + "\"}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().path("token").asText();
    }

    private Reply answer(String token, String templateId, String result) {
        return answer(token, templateId, result, "answer-" + requests.incrementAndGet());
    }

    private Reply answer(String token, String templateId, String result, String requestId) {
        return call("POST", "/miniapp/subscriptions", token, "{\"template_id\":\"" + templateId
                + "\",\"result\":\"" + result + "\",\"request_id\":\"" + requestId + "\"}");
    }

    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger(
            1000);

    @Test
    void aDoubleTapOrARetriedRequestCountsOnceAndTheCountIsCapped() {
        String token = login("sub-code-0009");

        answer(token, REPURCHASE, "accept", "tap-00000001");
        Reply again = answer(token, REPURCHASE, "accept", "tap-00000001");
        Reply noId = call("POST", "/miniapp/subscriptions", token,
                "{\"template_id\":\"" + REPURCHASE + "\",\"result\":\"accept\"}");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.template("repurchase_reminder").path("remaining").asInt()).isEqualTo(1);
        assertThat(noId.status()).isEqualTo(400);
        assertThat(noId.body().path("field").asText()).isEqualTo("request_id");
        assertThat(ports.customers().timeline(TENANT, customerOf(token)))
                .filteredOn(e -> e.kind().equals("subscription_answered")).hasSize(1);
        for (int i = 0; i < 30; i++) {
            answer(token, REPURCHASE, "accept");
        }
        assertThat(call("GET", "/miniapp/subscriptions", token, null).template("repurchase_reminder")
                .path("remaining").asInt()).isEqualTo(dev.siyu.core.miniapp.SubscriptionState.MAX_REMAINING);
    }

    private String customerOf(String token) {
        return call("GET", "/miniapp/me", token, null).body().path("customer_id").asText();
    }

    @Test
    void eachAcceptAllowsOneMoreMessageAndTheListShowsEveryTemplate() {
        String token = login("sub-code-0001");

        Reply first = answer(token, REPURCHASE, "accept");
        answer(token, REPURCHASE, "accept");
        Reply rejected = answer(token, REPURCHASE, "reject");

        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.template("repurchase_reminder").path("remaining").asInt()).isEqualTo(1);
        assertThat(rejected.template("repurchase_reminder").path("remaining").asInt())
                .as("a reject this time leaves the two earlier accepts standing").isEqualTo(2);
        Reply listed = call("GET", "/miniapp/subscriptions", token, null);
        assertThat(listed.status()).isEqualTo(200);
        JsonNode repurchase = listed.template("repurchase_reminder");
        assertThat(repurchase.path("template_id").asText()).isEqualTo(REPURCHASE);
        assertThat(repurchase.path("live").asBoolean()).isTrue();
        assertThat(repurchase.path("last_result").asText()).isEqualTo("reject");
        JsonNode reward = listed.template("reward_alert");
        assertThat(reward.path("remaining").asInt()).isZero();
        assertThat(reward.path("live").asBoolean()).isFalse();
        assertThat(reward.path("last_result").isNull()).isTrue();
        assertThat(ports.customers().timeline(TENANT, customerOf(token)))
                .filteredOn(e -> e.kind().equals("subscription_answered")).hasSize(3);
    }

    @Test
    void aBanLeavesNoMessage() {
        String token = login("sub-code-0002");
        answer(token, REWARD, "accept");

        Reply banned = answer(token, REWARD, "ban");

        assertThat(banned.template("reward_alert").path("remaining").asInt()).isZero();
        assertThat(banned.template("reward_alert").path("last_result").asText()).isEqualTo("ban");
    }

    @Test
    void aTemplateTheBlueprintDoesNotDeclareIsRefusedNamingTemplateIdAndNothingIsWritten() {
        String token = login("sub-code-0003");

        Reply unknown = answer(token, "SomeOtherBrandsTemplateId0000000000000000000", "accept");
        Reply badResult = answer(token, REPURCHASE, "maybe");
        Reply extra = call("POST", "/miniapp/subscriptions", token,
                "{\"template_id\":\"" + REPURCHASE + "\",\"result\":\"accept\",\"openid\":\"someone-else\"}");
        Reply missing = call("POST", "/miniapp/subscriptions", token, "{\"result\":\"accept\"}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("field").asText()).isEqualTo("template_id");
        assertThat(badResult.status()).isEqualTo(400);
        assertThat(badResult.body().path("field").asText()).isEqualTo("result");
        assertThat(extra.body().path("field").asText()).isEqualTo("openid");
        assertThat(missing.body().path("field").asText()).isEqualTo("template_id");
        assertThat(ports.subscriptions().subscriptions(TENANT, customerOf(token))).isEmpty();
        assertThat(call("GET", "/miniapp/subscriptions", null, null).status()).isEqualTo(401);
    }

    @Test
    void oneMembersAnswersAreNotAnotherMembers() {
        String a = login("sub-code-0004");
        String b = login("sub-code-0005");

        answer(a, REPURCHASE, "accept");

        assertThat(call("GET", "/miniapp/subscriptions", b, null).template("repurchase_reminder")
                .path("remaining").asInt()).isZero();
    }

    @Test
    void aMergeTakesTheMembersSubscriptionsToTheSurvivor() {
        String survivor = members.orders().ingest(order("SUB-1", "\"pos_member_id\":\"P-SUB-1\"")).customerId();
        clock.advance(Duration.ofMinutes(1));
        String token = login("sub-code-0006");
        String absorbed = customerOf(token);
        answer(token, REPURCHASE, "accept");
        answer(token, REPURCHASE, "accept");
        clock.advance(Duration.ofMinutes(1));

        members.orders().ingest(order("SUB-2", "\"pos_member_id\":\"P-SUB-1\",\"openid\":\""
                + MemoryMiniProgram.openidOf("sub-code-0006") + "\""));

        assertThat(ports.customers().profile(TENANT, absorbed).orElseThrow().mergedInto()).contains(survivor);
        assertThat(customerOf(token)).isEqualTo(survivor);
        assertThat(call("GET", "/miniapp/subscriptions", token, null).template("repurchase_reminder")
                .path("remaining").asInt()).isEqualTo(2);
        assertThat(ports.subscriptions().subscription(TENANT, absorbed, REPURCHASE).orElseThrow().remaining())
                .as("none left on the absorbed customer to be spent twice").isZero();
    }

    private dev.siyu.core.ingest.Order order(String id, String customer) {
        String body = "{\"order_id\":\"" + id + "\",\"customer\":{" + customer + "},\"amount\":\"100.00\","
                + "\"currency\":\"CNY\",\"at\":\"" + clock.instant() + "\",\"lines\":[{\"sku\":\"SK-1\","
                + "\"category\":\"skincare\",\"quantity\":1,\"amount\":\"100.00\"}]}";
        return new IngestJson(KEYS, "CNY").order("pos", body.getBytes(StandardCharsets.UTF_8), clock.instant());
    }
}
