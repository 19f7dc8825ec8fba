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
 * The staff check-in as a till uses it: a staff member signs in with a WeCom OAuth code, scans the code a member
 * shows in the Mini Program and sees who it is; the visit lands on the member's timeline once per code.
 */
class StaffCheckInTest {
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
    private final Ports ports = MemoryPorts.create(wecom).withQueues(new MemoryQueue(), triggers, new MemoryTimerStore());
    private final MemoryPointsLedger ledger = new MemoryPointsLedger(ports.customers());
    private final MemberServices members = new MemberServices(new Engine(ports, EXAMPLE, 1, null, clock,
            Engine.Settings.inline()), ledger, KEYS);
    private final MemoryMemberDetailsStore details = new MemoryMemberDetailsStore();
    private final MemberEndpoint memberRoutes = new MemberEndpoint(() -> members, details, new MemoryMiniProgram(clock),
            new SessionTokens(TOKEN_KEY, Duration.ofHours(2)), new PhoneSeal("test-member-data-key-0001"
            .getBytes(StandardCharsets.UTF_8)), KEYS, new MemberCodes(TOKEN_KEY));
    private final StaffEndpoint staffRoutes = new StaffEndpoint(() -> members, new StaffSessions(STAFF_KEY, clock, StaffSessions.CHECK_IN),
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
    void aStaffMemberChecksAMemberInOncePerCode() {
        String member = memberToken("code-visitor-1");
        String customerId = call("GET", "/miniapp/me", member, null).body().path("customer_id").asText();
        String staff = staffToken("zhangsan");
        String code = memberCode(member);

        Reply first = checkIn(staff, code, "sh01");
        clock.advance(Duration.ofSeconds(20));
        Reply again = checkIn(staff, code, "sh01");

        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.body().path("customer_id").asText()).isEqualTo(customerId);
        assertThat(first.body().path("tier").asText()).isEqualTo("silver");
        assertThat(first.body().path("points").asLong()).isZero();
        assertThat(first.body().path("visited_at").asText()).isEqualTo("2026-06-01T02:00:00Z");
        assertThat(first.body().path("first_visit_today").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).as("the same code scanned twice is one visit").isEqualTo(first.body());
        List<TimelineEvent> visits = visits(customerId);
        assertThat(visits).hasSize(1);
        assertThat(visits.get(0).details()).containsEntry("store", "sh01").containsEntry("staff", "zhangsan")
                .containsEntry("store_name", "Jing'an Flagship");
        assertThat(visits.get(0).staffUserId()).isEqualTo("zhangsan");
        assertThat(ports.customers().profile(TENANT, customerId).orElseThrow().activity().lastInteractionAt())
                .isEqualTo(Instant.parse("2026-06-01T02:00:00Z"));
        assertThat(triggers.sent()).anySatisfy(s -> {
            assertThat(s.trigger()).isNotNull();
            assertThat(s.trigger().kind()).isEqualTo("store_visit");
            assertThat(s.trigger().customerId()).isEqualTo(customerId);
            assertThat(s.trigger().details()).containsEntry("store", "sh01");
        });
    }

    @Test
    void aLaterCodeTheSameDayIsASecondVisitButNotTheFirst() {
        String member = memberToken("code-visitor-2");
        String customerId = call("GET", "/miniapp/me", member, null).body().path("customer_id").asText();
        checkIn(staffToken("zhangsan"), memberCode(member), "sh01");
        clock.advance(Duration.ofHours(3));

        // What the Mini Program shows now (the member's session of the morning has ended; the code has not).
        Reply later = checkIn(staffToken("lisi"), shownNow(customerId), "hz01");
        clock.advance(Duration.ofDays(1));
        Reply tomorrow = checkIn(staffToken("lisi"), shownNow(customerId), "hz01");

        assertThat(later.status()).as(later.body().toString()).isEqualTo(200);
        assertThat(later.body().path("first_visit_today").asBoolean()).isFalse();
        assertThat(tomorrow.body().path("first_visit_today").asBoolean()).isTrue();
        assertThat(visits(customerId)).extracting(e -> e.details().get("store")).containsExactly("sh01", "hz01",
                "hz01");
    }

    private String shownNow(String customerId) {
        return new MemberCodes(TOKEN_KEY).current(TENANT, customerId, clock.instant()).code();
    }

    @Test
    void neitherAMemberTokenNorASidebarSessionIsACheckInSession() {
        String member = memberToken("code-visitor-3");
        String code = memberCode(member);

        Reply asMember = checkIn(member, code, "sh01");
        Reply without = checkIn(null, code, "sh01");
        Reply forgedStaff = checkIn(staffToken("zhangsan") + "x", code, "sh01");
        // A sidebar session is not a check-in session, even signed with the same key: its audience is the sidebar.
        Reply sidebarSession = checkIn(new StaffSessions(STAFF_KEY, clock).issue(TENANT, "lisi"), code, "sh01");
        Reply otherTenant = checkIn(new StaffSessions(STAFF_KEY, clock, StaffSessions.CHECK_IN).issue("other-brand", "lisi"),
                code, "sh01");

        assertThat(asMember.status()).isEqualTo(401);
        assertThat(asMember.body().path("field").asText()).isEqualTo("authorization");
        assertThat(without.status()).isEqualTo(401);
        assertThat(forgedStaff.status()).isEqualTo(401);
        assertThat(otherTenant.status()).isEqualTo(401);
        assertThat(sidebarSession.status()).isEqualTo(401);
    }

    @Test
    void anExpiredForgedOrForeignCodeAndAnUnknownStoreAre400sThatWriteNothing() {
        String member = memberToken("code-visitor-4");
        String customerId = call("GET", "/miniapp/me", member, null).body().path("customer_id").asText();
        String staff = staffToken("zhangsan");
        String code = memberCode(member);
        String[] parts = code.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2] + "." + "A".repeat(parts[3].length());
        String foreign = new MemberCodes("another-brands-token-key-of-32-bytes-".getBytes(StandardCharsets.UTF_8))
                .current(TENANT, customerId, clock.instant()).code();
        int timeline = ports.customers().timeline(TENANT, customerId).size();

        Reply unknownStore = checkIn(staff, code, "sh99");
        Reply forgedCode = checkIn(staff, forged, "sh01");
        Reply foreignCode = checkIn(staff, foreign, "sh01");
        Reply missing = call("POST", "/miniapp/staff/check-in", staff, "{\"store\":\"sh01\"}");
        Reply unknownField = call("POST", "/miniapp/staff/check-in", staff,
                "{\"member_code\":\"" + code + "\",\"store\":\"sh01\",\"customer_id\":\"" + customerId + "\"}");
        clock.advance(Duration.ofSeconds(121));
        Reply expired = checkIn(staff, code, "sh01");

        assertThat(unknownStore.status()).isEqualTo(400);
        assertThat(unknownStore.body().path("field").asText()).isEqualTo("store");
        for (Reply r : List.of(forgedCode, foreignCode, expired)) {
            assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
            assertThat(r.body().path("field").asText()).isEqualTo("member_code");
        }
        assertThat(missing.body().path("field").asText()).isEqualTo("member_code");
        assertThat(unknownField.body().path("field").asText()).isEqualTo("customer_id");
        assertThat(ports.customers().timeline(TENANT, customerId)).hasSize(timeline);
        assertThat(triggers.sent()).noneMatch(s -> s.trigger() != null && "store_visit".equals(s.trigger().kind()));
    }

    @Test
    void onlyStaffSignInAndACodeCountsOnce() {
        String outsider = wecom.staffPage().issueOutsiderCode("o-outsider-openid", clock.instant());
        String code = wecom.oauthCode("zhangsan");

        Reply notStaff = call("POST", "/miniapp/staff/session", null, "{\"code\":\"" + outsider + "\"}");
        Reply signedIn = call("POST", "/miniapp/staff/session", null, "{\"code\":\"" + code + "\"}");
        Reply reused = call("POST", "/miniapp/staff/session", null, "{\"code\":\"" + code + "\"}");
        Reply noCode = call("POST", "/miniapp/staff/session", null, "{}");

        assertThat(notStaff.status()).isEqualTo(403);
        assertThat(notStaff.body().path("field").asText()).isEqualTo("code");
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(noCode.status()).isEqualTo(400);
        assertThat(noCode.body().path("field").asText()).isEqualTo("code");
    }

    @Test
    void aCodeShownBeforeAMergeChecksInTheSurvivor() {
        // The POS knew the member first (by the POS member id); the Mini Program account is linked to it later.
        order("POS-6-1", null);
        clock.advance(Duration.ofMinutes(1));
        String member = memberToken("code-visitor-6");
        String absorbed = call("GET", "/miniapp/me", member, null).body().path("customer_id").asText();
        String code = memberCode(member);
        order("POS-6-2", call("GET", "/miniapp/me", member, null).body().path("openid").asText());
        String survivor = ports.customers().profile(TENANT, absorbed).orElseThrow().mergedInto().orElseThrow();

        Reply r = checkIn(staffToken("zhangsan"), code, "sh01");

        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().path("customer_id").asText()).isEqualTo(survivor);
        assertThat(r.body().path("points").asLong()).isEqualTo(776);
        assertThat(visits(survivor)).hasSize(1);
        assertThat(visits(absorbed)).isEmpty();
    }

    private void order(String orderId, String openid) {
        String who = (openid == null ? "" : "\"openid\":\"" + openid + "\",") + "\"pos_member_id\":\"POS-M-0006\"";
        String body = "{\"order_id\":\"" + orderId + "\",\"customer\":{" + who + "},\"amount\":\"388.00\",\"currency\":\"CNY\",\"at\":\""
                + clock.instant() + "\",\"lines\":[{\"sku\":\"SK-1\",\"category\":\"skincare\",\"quantity\":1,"
                + "\"amount\":\"388.00\"}]}";
        members.orders().ingest(new IngestJson(KEYS, "CNY").order("pos", body.getBytes(StandardCharsets.UTF_8),
                clock.instant()));
    }
}
