package dev.siyu.core.miniapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.gate.Rule;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.ingest.IngestJson;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryDecisionCounts;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryMiniProgram;
import dev.siyu.memory.MemoryOutreachCounters;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The member routes on the in-memory ports with the example blueprint, as a Mini Program calls them: login with
 * a code, the token on every other route, what a member sees and what a refused request leaves behind.
 */
class MemberEndpointTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOKEN_KEY = "test-session-token-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final IdentityKeys KEYS = new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8));

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T02:00:00Z"));
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi())
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
    private final MemberServices members = new MemberServices(new Engine(ports, EXAMPLE, 1, null, clock,
            Engine.Settings.inline()), ledger, KEYS);
    private final MemoryMemberDetailsStore details = new MemoryMemberDetailsStore();
    private final MemoryMiniProgram wechat = new MemoryMiniProgram(clock);
    private final SessionTokens tokens = new SessionTokens(TOKEN_KEY, Duration.ofHours(2));
    private final MemberEndpoint endpoint = new MemberEndpoint(() -> members, details, wechat, tokens,
            new PhoneSeal("test-member-data-key-0001".getBytes(StandardCharsets.UTF_8)), KEYS,
            new MemberCodes(TOKEN_KEY));
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    record Reply(int status, JsonNode body) { }

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("dev.siyu").setLevel(Level.ALL);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
    }

    private Reply call(String method, String path, String token, String body) {
        return call(method, path, token, body, Map.of());
    }

    private Reply call(String method, String path, String token, String body, Map<String, String> query) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        MemberEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest(method, path, query, headers, body, false));
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

    private String customerOf(String token) {
        return call("GET", "/miniapp/me", token, null).body().path("customer_id").asText();
    }

    private CustomerProfile profile(String customerId) {
        return ports.customers().profile(TENANT, customerId).orElseThrow();
    }

    private List<TimelineEvent> timeline(String customerId, String kind) {
        return ports.customers().timeline(TENANT, customerId).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** What a refused request must leave as it was: the member's profile, details and timeline. */
    private String state(String customerId) {
        return profile(customerId) + "|" + details.details(TENANT, customerId) + "|"
                + ports.customers().timeline(TENANT, customerId).size();
    }

    private void order(String orderId, String openid, String amount) {
        String body = "{\"order_id\":\"" + orderId + "\",\"customer\":{\"openid\":\"" + openid + "\"},\"amount\":\""
                + amount + "\",\"currency\":\"CNY\",\"at\":\"" + clock.instant() + "\",\"lines\":[{\"sku\":\"SK-1\","
                + "\"category\":\"skincare\",\"quantity\":1,\"amount\":\"" + amount + "\"}]}";
        members.orders().ingest(new IngestJson(KEYS, "CNY").order("pos", body.getBytes(StandardCharsets.UTF_8),
                clock.instant()));
    }

    @Test
    void aNewMemberIsInTheEntryTierAndOrdersShowTheirPointsAsNumbers() {
        String token = login("code-dora-1");
        Reply membership = call("GET", "/miniapp/membership", token, null);
        assertThat(membership.body().path("tier").asText()).isEqualTo("silver");
        assertThat(membership.body().path("benefits").toString()).isEqualTo("[\"birthday_coupon\"]");
        assertThat(call("GET", "/miniapp/me", token, null).body().path("tier").asText()).isEqualTo("silver");
        order("ORD-DORA-1", call("GET", "/miniapp/me", token, null).body().path("openid").asText(), "388.00");
        JsonNode first = call("GET", "/miniapp/orders", token, null).body().path("orders").get(0);
        assertThat(first.path("points").isNumber()).as(first.toString()).isTrue();
        assertThat(first.path("points").asLong()).isEqualTo(388);
    }

    @Test
    void aCodeLogsInOnceAndMapsToStableIds() {
        String token = login("code-alice-1");
        Reply me = call("GET", "/miniapp/me", token, null);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("openid").asText()).isEqualTo(MemoryMiniProgram.openidOf("code-alice-1"));
        assertThat(me.body().path("unionid").asText()).isEqualTo(MemoryMiniProgram.unionidOf("code-alice-1"));
        assertThat(me.body().path("customer_id").asText()).startsWith("m-");
        assertThat(me.body().path("linked_accounts").path("wecom_friend").asBoolean()).isFalse();
        Reply again = call("POST", "/miniapp/login", null, "{\"code\":\"code-alice-1\"}");
        assertThat(again.status()).as("a used code").isEqualTo(401);
        assertThat(again.body().path("field").asText()).isEqualTo("code");
    }

    @Test
    void theWeComContactWithTheSameUnionidIsTheSameCustomer() {
        String unionid = MemoryMiniProgram.unionidOf("code-wecom-1");
        String wecomCustomer = "wx-wmCONTACT0001";
        ports.customers().save(new CustomerProfile(TENANT, wecomCustomer, "Wang", null, "store", "store", null, null,
                java.util.Set.of(), Map.of(), Map.of("external_userid", "wmCONTACT0001", "unionid", unionid),
                clock.instant(), clock.instant()), List.of());
        ports.customers().claimIdentity(TENANT, IdentityType.UNIONID, unionid, wecomCustomer);

        String token = login("code-wecom-1");

        assertThat(customerOf(token)).isEqualTo(wecomCustomer);
        assertThat(profile(wecomCustomer).identities()).containsEntry("openid", MemoryMiniProgram.openidOf("code-wecom-1"));
    }

    @Test
    void everyChangedCharacterOfATokenIsRefused() {
        String token = login("code-bob-1");
        assertThat(call("GET", "/miniapp/me", null, null).status()).as("no token").isEqualTo(401);
        assertThat(call("GET", "/miniapp/points", "", null).status()).as("empty token").isEqualTo(401);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThat(call("GET", "/miniapp/me", changed, null).status()).as("character " + i).isEqualTo(401);
        }
        assertThat(call("GET", "/miniapp/me", token + "x", null).status()).isEqualTo(401);
        clock.advance(Duration.ofHours(2));
        assertThat(call("GET", "/miniapp/me", token, null).status()).as("expired").isEqualTo(401);
    }

    @Test
    void aTokenReachesNothingOfAnotherMemberOrTenant() {
        String alice = login("code-alice-2");
        String bob = login("code-bob-2");
        String bobId = customerOf(bob);
        String before = state(bobId);

        // The routes take no customer id: what a token reaches is its own customer, whatever the body says.
        Reply edit = call("PUT", "/miniapp/me", alice, "{\"customer_id\":\"" + bobId + "\",\"name\":\"Mallory\"}");
        assertThat(edit.status()).isEqualTo(400);
        assertThat(edit.body().path("field").asText()).isEqualTo("customer_id");
        call("PUT", "/miniapp/me", alice, "{\"name\":\"Alice\"}");
        assertThat(state(bobId)).isEqualTo(before);
        // A token another tenant's key-holder issued, or one re-signed for bob without the key: refused.
        String otherTenant = tokens.issue("other-brand", bobId, "o-x", clock.instant());
        assertThat(call("GET", "/miniapp/me", otherTenant, null).status()).isEqualTo(401);
        String forged = new SessionTokens("another-key-that-is-32-bytes-long!!".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(2)).issue(TENANT, bobId, "o-x", clock.instant());
        assertThat(call("GET", "/miniapp/me", forged, null).status()).isEqualTo(401);
        assertThat(call("GET", "/miniapp/me", bob, null).body().path("name").isNull()).isTrue();
    }

    @Test
    void aPartialEditChangesOnlyItsFields() {
        String token = login("code-carol-1");
        Reply first = call("PUT", "/miniapp/me", token, "{\"name\":\"Carol\",\"gender\":\"female\","
                + "\"date_of_birth\":\"1990-04-12\",\"address\":\"Room 1, 8 Huaihai Rd, Shanghai\","
                + "\"time_zone\":\"Asia/Shanghai\"}");
        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);

        Reply second = call("PUT", "/miniapp/me", token, "{\"language\":\"zh_CN\"}");

        assertThat(second.body().path("name").asText()).isEqualTo("Carol");
        assertThat(second.body().path("gender").asText()).isEqualTo("female");
        assertThat(second.body().path("date_of_birth").asText()).isEqualTo("1990-04-12");
        assertThat(second.body().path("time_zone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(second.body().path("language").asText()).isEqualTo("zh_CN");
        int events = ports.customers().timeline(TENANT, customerOf(token)).size();
        assertThat(call("PUT", "/miniapp/me", token, "{}").status()).isEqualTo(200);
        assertThat(ports.customers().timeline(TENANT, customerOf(token))).as("an empty edit writes nothing").hasSize(events);
        Reply cleared = call("PUT", "/miniapp/me", token, "{\"address\":null}");
        assertThat(cleared.body().path("address").isNull()).isTrue();
        assertThat(cleared.body().path("gender").asText()).isEqualTo("female");
        assertThat(String.join("\n", logged)).doesNotContain("Huaihai").doesNotContain("1990-04-12");
    }

    @Test
    void badInputIsA400NamingTheFieldAndWritesNothing() {
        String token = login("code-dave-1");
        String id = customerOf(token);
        call("PUT", "/miniapp/me", token, "{\"gender\":\"male\"}");
        String before = state(id);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"gender\":\"robot\"}", "gender");
        cases.put("{\"gender\":\"male\",\"date_of_birth\":\"1990-02-30\"}", "date_of_birth");
        cases.put("{\"date_of_birth\":\"2999-01-01\"}", "date_of_birth");
        cases.put("{\"date_of_birth\":19900101}", "date_of_birth");
        cases.put("{\"name\":\"" + "n".repeat(65) + "\"}", "name");
        cases.put("{\"name\":[\"Dave\"]}", "name");
        cases.put("{\"name\":\"Dave\",\"language\":\"Klingon!\"}", "language");
        cases.put("{\"time_zone\":\"Mars/Olympus\"}", "time_zone");
        cases.put("{\"avatar\":\"javascript:alert(1)\"}", "avatar");
        cases.put("{\"address\":\"" + "a".repeat(201) + "\"}", "address");
        cases.put("{\"nickname\":\"x\"}", "nickname");
        cases.put("[1,2]", "body");
        cases.put("{not json", "body");
        cases.put("{\"name\":\"" + "x".repeat(MemberEndpoint.MAX_BODY_BYTES) + "\"}", "body");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Reply r = call("PUT", "/miniapp/me", token, c.getKey());
            assertThat(r.status()).as(c.getValue() + ": " + r.body()).isEqualTo(400);
            assertThat(r.body().path("field").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
        Map<String, String> posts = new java.util.LinkedHashMap<>();
        posts.put("/miniapp/login|{}", "code");
        posts.put("/miniapp/login|{\"code\":42}", "code");
        posts.put("/miniapp/consents|{\"purpose\":\"spam\",\"granted\":true,\"policy_version\":\"v1\"}", "purpose");
        posts.put("/miniapp/consents|{\"purpose\":\"marketing\",\"granted\":\"yes\",\"policy_version\":\"v1\"}", "granted");
        posts.put("/miniapp/consents|{\"purpose\":\"marketing\",\"granted\":true}", "policy_version");
        posts.put("/miniapp/events|{\"event_id\":\"ev-00000001\",\"kind\":\"teleport\"}", "kind");
        posts.put("/miniapp/events|{\"event_id\":\"short\",\"kind\":\"page_view\"}", "event_id");
        posts.put("/miniapp/events|{\"event_id\":\"ev-00000002\",\"kind\":\"page_view\",\"at\":\"yesterday\"}", "at");
        posts.put("/miniapp/events|{\"event_id\":\"ev-00000003\",\"kind\":\"feedback\"}", "text");
        posts.put("/miniapp/rewards/sample-kit/redeem|{}", "request_id");
        posts.put("/miniapp/me/phone|{\"code\":\"\"}", "code");
        for (Map.Entry<String, String> c : posts.entrySet()) {
            String[] pb = c.getKey().split("\\|", 2);
            Reply r = call("POST", pb[0], "/miniapp/login".equals(pb[0]) ? null : token, pb[1]);
            assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(r.body().path("field").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
        Reply page = call("GET", "/miniapp/points", token, null, Map.of("limit", "1000"));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body().path("field").asText()).isEqualTo("limit");
        assertThat(state(id)).isEqualTo(before);
    }

    @Test
    void aLinkedPhoneIsSealedMaskedIndexedByItsHashAndNeverLogged() {
        String token = login("code-erin-1");
        String id = customerOf(token);
        wechat.phoneFor("phone-code-1", "+8613812345678");

        Reply r = call("POST", "/miniapp/me/phone", token, "{\"code\":\"phone-code-1\"}");

        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("phone").asText()).isEqualTo("+86 138****5678");
        assertThat(r.body().path("linked_accounts").path("phone").asBoolean()).isTrue();
        assertThat(ports.customers().customerIdFor(TENANT, IdentityType.PHONE, KEYS.phoneKey("+8613812345678")))
                .contains(id);
        MemberDetails stored = details.details(TENANT, id).orElseThrow();
        assertThat(stored.toString()).doesNotContain("13812345678");
        assertThat(new PhoneSeal("test-member-data-key-0001".getBytes(StandardCharsets.UTF_8)).open(id,
                stored.phoneSealed())).as("sealed, not lost").isEqualTo("+8613812345678");
        assertThat(profile(id).toString()).doesNotContain("13812345678");
        assertThat(String.join("\n", logged)).doesNotContain("13812345678").doesNotContain("12345678");
        assertThat(call("POST", "/miniapp/me/phone", token, "{\"code\":\"phone-code-1\"}").status())
                .as("a phone code is taken once").isEqualTo(401);
    }

    @Test
    void pointsTierRewardsAndIdempotentRedemption() {
        String token = login("code-frank-1");
        String id = customerOf(token);
        order("A-1001", MemoryMiniProgram.openidOf("code-frank-1"), "388.00");

        Reply points = call("GET", "/miniapp/points", token, null);
        assertThat(points.body().path("balance").asLong()).isEqualTo(388);
        assertThat(points.body().path("entries")).hasSize(1);
        Reply tier = call("GET", "/miniapp/membership", token, null);
        assertThat(tier.body().path("tier").asText()).isEqualTo("silver");
        assertThat(tier.body().path("next_tier").path("points_needed").asLong()).isEqualTo(2000 - 388);
        assertThat(call("GET", "/miniapp/orders", token, null).body().path("orders").get(0).path("order_id").asText())
                .isEqualTo("A-1001");

        Reply redeemed = call("POST", "/miniapp/rewards/sample-kit/redeem", token, "{\"request_id\":\"req-0000001\"}");
        Reply again = call("POST", "/miniapp/rewards/sample-kit/redeem", token, "{\"request_id\":\"req-0000001\"}");

        assertThat(redeemed.body().path("status").asText()).isEqualTo("redeemed");
        assertThat(again.body().path("status").asText()).isEqualTo("duplicate");
        assertThat(call("GET", "/miniapp/points", token, null).body().path("balance").asLong()).isEqualTo(288);
        Reply short_ = call("POST", "/miniapp/rewards/coupon-50/redeem", token, "{\"request_id\":\"req-0000002\"}");
        assertThat(short_.status()).isEqualTo(409);
        assertThat(call("POST", "/miniapp/rewards/nothing/redeem", token, "{\"request_id\":\"req-0000003\"}").status())
                .isEqualTo(404);
        Reply notes = call("GET", "/miniapp/notifications", token, null);
        assertThat(notes.body().path("notifications")).extracting(n -> n.path("kind").asText()).contains("reward");
        assertThat(profile(id).activity().points().balance()).isEqualTo(288);
    }

    @Test
    void perksGoThroughThePerkPolicy() {
        String token = login("code-gina-1");
        String id = customerOf(token);
        order("G-1", MemoryMiniProgram.openidOf("code-gina-1"), "2000.00");

        Reply newcomer = call("POST", "/miniapp/rewards/coupon-50/redeem", token, "{\"request_id\":\"req-perk-001\"}");
        assertThat(newcomer.status()).isEqualTo(409);
        assertThat(newcomer.body().path("verdict").asText()).isEqualTo("wait_observation");

        clock.advance(Duration.ofDays(EXAMPLE.community().observationDays() + 1));
        token = tokens.issue(TENANT, id, MemoryMiniProgram.openidOf("code-gina-1"), clock.instant());
        Reply allowed = call("POST", "/miniapp/rewards/coupon-50/redeem", token, "{\"request_id\":\"req-perk-002\"}");
        assertThat(allowed.status()).as(allowed.body().toString()).isEqualTo(200);
        assertThat(timeline(id, "perk_claimed")).hasSize(1);

        ports.customers().update(TENANT, id, p -> p.withActivity(new dev.siyu.core.profile.Activity(
                p.activity().totalSpend(), p.activity().orderCount(), p.activity().firstPurchaseAt(),
                p.activity().lastPurchaseAt(), null, p.activity().lastInteractionAt(), Map.of(), null, null, null,
                false, null, Map.of(), java.util.Set.of(), p.activity().perksClaimed(),
                java.util.Set.of("abnormal_claims"), p.activity().points()), clock.instant()), List.of());
        Reply flagged = call("POST", "/miniapp/rewards/coupon-50/redeem", token, "{\"request_id\":\"req-perk-003\"}");
        assertThat(flagged.status()).isEqualTo(409);
        assertThat(flagged.body().path("verdict").asText()).isEqualTo("flagged");
        assertThat(flagged.body().path("message").asText()).contains("flagged");
        assertThat(profile(id).activity().points().balance()).isEqualTo(1500);
    }

    @Test
    void aWithdrawalBlocksAPromotionAtTheGateAtOnce() {
        String token = login("code-hank-1");
        String id = customerOf(token);
        // A WeCom friend too, so the relationship rule lets the promotion through to the consent rule.
        ports.customers().update(TENANT, id, p -> p.withRelationship(dev.siyu.core.profile.StaffRelationship.started(
                "staff-1", "store", clock.instant(), false), clock.instant()), List.of());
        Reply granted = call("POST", "/miniapp/consents", token,
                "{\"purpose\":\"marketing\",\"granted\":true,\"policy_version\":\"2026-05\"}");
        assertThat(granted.status()).as(granted.body().toString()).isEqualTo(200);
        OutreachGate gate = new OutreachGate(EXAMPLE.guardrails(), ZoneId.of("Asia/Shanghai"));
        Outreach outreach = new Outreach(gate, EXAMPLE.guardrails(), new MemoryOutreachCounters(),
                new MemoryDecisionCounts(), ZoneId.of("Asia/Shanghai"), new Ids());
        Instant noon = Instant.parse("2026-06-01T04:00:00Z");
        Touch promotion = Touch.privateMessage(id, "staff-1", ContentClass.PROMOTIONAL);
        assertThat(gate.decide(outreach.state(profile(id), noon), promotion, noon).rule()).isNotEqualTo(Rule.CONSENT);

        clock.advance(Duration.ofMinutes(1));
        call("POST", "/miniapp/consents", token, "{\"purpose\":\"marketing\",\"granted\":false,\"policy_version\":\"2026-05\"}");

        Decision d = gate.decide(outreach.state(profile(id), noon.plusSeconds(120)), promotion, noon.plusSeconds(120));
        assertThat(d.kind()).isEqualTo(Decision.Kind.DROP);
        assertThat(d.rule()).isEqualTo(Rule.CONSENT);
        Reply consents = call("GET", "/miniapp/consents", token, null);
        assertThat(consents.body().path("consents").get(0).path("granted").asBoolean()).isFalse();
        assertThat(consents.body().path("consents").get(0).path("policy_version").asText()).isEqualTo("2026-05");
        assertThat(timeline(id, "consent_withdrawn")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("purpose", "marketing").containsEntry("channel", "miniapp"));
    }

    @Test
    void eventsBecomeInteractionsAndNotificationsCanBeRead() {
        String token = login("code-iris-1");
        String id = customerOf(token);
        for (String kind : List.of("page_view", "share")) {
            Reply r = call("POST", "/miniapp/events", token, "{\"event_id\":\"ev-" + kind + "-1\",\"kind\":\"" + kind
                    + "\",\"page\":\"/pages/home\"}");
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        }
        call("POST", "/miniapp/events", token, "{\"event_id\":\"ev-page_view-1\",\"kind\":\"page_view\"}");
        call("POST", "/miniapp/events", token, "{\"event_id\":\"ev-click-0001\",\"kind\":\"product_click\","
                + "\"product_id\":\"SKU-1\"}");

        assertThat(timeline(id, "interacted")).extracting(e -> e.details().get("kind"))
                .containsExactlyInAnyOrder("page_view", "share", "product_click");
        assertThat(profile(id).activity().lastInteractionAt()).isNotNull();
        Reply challenges = call("GET", "/miniapp/challenges", token, null);
        assertThat(challenges.body().path("challenges")).anySatisfy(c -> {
            assertThat(c.path("id").asText()).isEqualTo("explorer");
            assertThat(c.path("progress").asLong()).isEqualTo(3);
        });

        call("PUT", "/miniapp/me", token, "{\"gender\":\"other\"}");
        Reply notes = call("GET", "/miniapp/notifications", token, null);
        assertThat(notes.body().path("unread").asInt()).isEqualTo(1);
        String nid = notes.body().path("notifications").get(0).path("id").asText();
        Reply read = call("POST", "/miniapp/notifications/" + nid + "/read", token, null);
        assertThat(read.body().path("unread").asInt()).isZero();
        assertThat(call("POST", "/miniapp/notifications/nope/read", token, null).status()).isEqualTo(404);
        details.update(TENANT, id, d -> d.notified(new MemberDetails.Notification("promo-1", "promotion", "Sale",
                "20% off", clock.instant(), false)));
        assertThat(call("GET", "/miniapp/notifications", token, null).body().path("notifications"))
                .as("no promotion without marketing consent").noneMatch(n -> n.path("kind").asText().equals("promotion"));
    }

    @Test
    void theMemberCodeRotatesEveryMinuteAndItsQrIsAPng() {
        String token = login("code-kate-1");
        String id = customerOf(token);
        Reply first = call("GET", "/miniapp/member-code", token, null);

        assertThat(first.status()).isEqualTo(200);
        String code = first.body().path("code").asText();
        byte[] png = java.util.Base64.getDecoder().decode(first.body().path("qr_png_base64").asText());
        assertThat(java.util.Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', 13, 10, 26, 10);
        MemberCodes codes = new MemberCodes(TOKEN_KEY);
        assertThat(codes.verify(TENANT, code, clock.instant())).contains(id);
        assertThat(codes.verify("other-brand", code, clock.instant())).isEmpty();
        assertThat(codes.verify(TENANT, code.replace(id, "m-000000000000000000000000"), clock.instant())).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        assertThat(call("GET", "/miniapp/member-code", token, null).body().path("code").asText()).isNotEqualTo(code);
        assertThat(codes.verify(TENANT, code, clock.instant())).as("the last minute's, scanned late").contains(id);
        clock.advance(Duration.ofSeconds(60));
        assertThat(codes.verify(TENANT, code, clock.instant())).as("two minutes old").isEmpty();
    }

    @Test
    void authorizationImportsNicknameAndAvatar() {
        String token = login("code-jack-1");
        Reply r = call("POST", "/miniapp/me/authorize", token,
                "{\"nickname\":\"Jack\",\"avatar_url\":\"https://thirdwx.qlogo.cn/mmopen/jack/132\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("name").asText()).isEqualTo("Jack");
        assertThat(r.body().path("avatar").asText()).isEqualTo("https://thirdwx.qlogo.cn/mmopen/jack/132");
    }
}
