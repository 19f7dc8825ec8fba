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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Mini Program member who turns out to be a customer the POS knew first: the merge moves what the member told
 * the Mini Program (profile fields, the phone, consents, notifications) onto the survivor, by the stated rule, and
 * the member's token then shows the survivor.
 */
class MergeMovesMemberDetailsTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOKEN_KEY = "test-session-token-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final IdentityKeys KEYS = new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8));
    private static final PhoneSeal SEAL = new PhoneSeal("test-member-data-key-0001".getBytes(StandardCharsets.UTF_8));

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T02:00:00Z"));
    private final Ports ports = MemoryPorts.create(new RecordingWeComApi(clock))
            .withQueues(new MemoryQueue(), new MemoryQueue(), new MemoryTimerStore());
    private final MemoryMemberDetailsStore details = new MemoryMemberDetailsStore();
    private final MemberServices members = new MemberServices(new Engine(ports, EXAMPLE, 1, null, clock,
            Engine.Settings.inline()), new MemoryPointsLedger(ports.customers()), KEYS,
            new MemberDetailsMerge(details, SEAL));
    private final MemoryMiniProgram wechat = new MemoryMiniProgram(clock);
    private final MemberEndpoint endpoint = new MemberEndpoint(() -> members, details, wechat,
            new SessionTokens(TOKEN_KEY, Duration.ofHours(2)), SEAL, KEYS, new MemberCodes(TOKEN_KEY));

    private JsonNode call(String method, String path, String token, String body) {
        Map<String, String> headers = new HashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        MemberEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest(method, path, Map.of(), headers, body, false));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private String order(String orderId, String customer) {
        String body = "{\"order_id\":\"" + orderId + "\",\"customer\":{" + customer + "},\"amount\":\"100.00\","
                + "\"currency\":\"CNY\",\"at\":\"" + clock.instant() + "\",\"lines\":[{\"sku\":\"SK-1\",\"category\":"
                + "\"skincare\",\"quantity\":1,\"amount\":\"100.00\"}]}";
        return members.orders().ingest(new IngestJson(KEYS, "CNY").order("pos", body.getBytes(StandardCharsets.UTF_8),
                clock.instant())).customerId();
    }

    @Test
    void theMembersDetailsMoveOntoTheSurvivorByTheRule() {
        // The POS knew the customer first; the store recorded a marketing consent and her gender at the till.
        String survivor = order("POS-1", "\"pos_member_id\":\"POS-M-0042\"");
        Instant tillConsent = clock.instant();
        details.update(TENANT, survivor, d -> d.withPersonal("female", null, null, null, null)
                .withConsent(new MemberDetails.ConsentRecord("marketing", true, "2026-05", tillConsent, "pos")));
        clock.advance(Duration.ofHours(1));
        // Later she uses the Mini Program: a new member, her own profile fields, phone and a withdrawal.
        String token = call("POST", "/miniapp/login", null, "{\"code\":\"code-merge-1\"}").path("token").asText();
        String absorbed = call("GET", "/miniapp/me", token, null).path("customer_id").asText();
        call("PUT", "/miniapp/me", token, "{\"gender\":\"male\",\"date_of_birth\":\"1993-08-16\",\"language\":\"zh_CN\"}");
        wechat.phoneFor("phone-code-merge", "+8613812345678");
        call("POST", "/miniapp/me/phone", token, "{\"code\":\"phone-code-merge\"}");
        clock.advance(Duration.ofMinutes(5));
        call("POST", "/miniapp/consents", token, "{\"purpose\":\"marketing\",\"granted\":false,\"policy_version\":\"2026-05\"}");
        call("POST", "/miniapp/consents", token, "{\"purpose\":\"profiling\",\"granted\":true,\"policy_version\":\"2026-05\"}");
        List<String> hers = details.details(TENANT, absorbed).orElseThrow().notifications().stream()
                .map(MemberDetails.Notification::id).toList();
        assertThat(survivor).isNotEqualTo(absorbed);

        // The POS sends an order naming both her member id and her phone: the two are one person.
        clock.advance(Duration.ofMinutes(5));
        String into = order("POS-2", "\"pos_member_id\":\"POS-M-0042\",\"phone\":\"+8613812345678\"");

        assertThat(into).isEqualTo(survivor);
        MemberDetails merged = details.details(TENANT, survivor).orElseThrow();
        assertThat(merged.gender()).as("the survivor's own value stays").isEqualTo("female");
        assertThat(merged.dateOfBirth()).as("what only she gave comes along").hasToString("1993-08-16");
        assertThat(merged.language()).isEqualTo("zh_CN");
        assertThat(SEAL.open(survivor, merged.phoneSealed())).as("sealed again for the survivor")
                .isEqualTo("+8613812345678");
        assertThat(merged.phoneMasked()).isEqualTo("+86 138****5678");
        assertThat(merged.consents().get("marketing").granted()).as("her later withdrawal stands").isFalse();
        assertThat(merged.consents().get("profiling").granted()).isTrue();
        assertThat(merged.notifications()).extracting(MemberDetails.Notification::id).containsAll(hers);
        // Her token now reads the survivor, with what she told the Mini Program.
        JsonNode me = call("GET", "/miniapp/me", token, null);
        assertThat(me.path("customer_id").asText()).isEqualTo(survivor);
        assertThat(me.path("date_of_birth").asText()).isEqualTo("1993-08-16");
        assertThat(me.path("phone").asText()).isEqualTo("+86 138****5678");
        assertThat(call("GET", "/miniapp/consents", token, null).path("consents").get(0).path("granted").asBoolean())
                .isFalse();
        // Kept in one place only: the absorbed customer's item holds nothing any more.
        assertThat(details.details(TENANT, absorbed).orElseThrow())
                .isEqualTo(MemberDetails.empty(absorbed).atVersion(details.details(TENANT, absorbed).orElseThrow()
                        .version()));
    }

    @Test
    void aPhoneRemovedAfterTheMergeStaysRemovedWhenTheMergeIsFinishedAgain() {
        String survivor = order("POS-1", "\"pos_member_id\":\"POS-M-0042\"");
        clock.advance(Duration.ofHours(1));
        String token = call("POST", "/miniapp/login", null, "{\"code\":\"code-merge-2\"}").path("token").asText();
        String absorbed = call("GET", "/miniapp/me", token, null).path("customer_id").asText();
        wechat.phoneFor("phone-code-merge-2", "+8613812345678");
        call("POST", "/miniapp/me/phone", token, "{\"code\":\"phone-code-merge-2\"}");
        clock.advance(Duration.ofMinutes(5));
        order("POS-2", "\"pos_member_id\":\"POS-M-0042\",\"phone\":\"+8613812345678\"");
        assertThat(details.details(TENANT, survivor).orElseThrow().phoneSealed()).isNotNull();

        // She removes the phone; then the merge's details step runs again (a merge finished after a crash).
        details.update(TENANT, survivor, d -> d.withPhone(null, null));
        new MemberDetailsMerge(details, SEAL).merge(TENANT, absorbed, survivor, clock.instant());

        assertThat(details.details(TENANT, survivor).orElseThrow().phoneSealed()).isNull();
        assertThat(call("GET", "/miniapp/me", token, null).path("phone").isMissingNode()
                || call("GET", "/miniapp/me", token, null).path("phone").isNull()).isTrue();
    }

    @Test
    void combiningAgainChangesNothing() {
        MemberDetails into = MemberDetails.empty("m-survivor").withPersonal(null, null, "Shanghai", null, null);
        MemberDetails from = MemberDetails.empty("m-absorbed").withPersonal("female", null, "Hangzhou", null, null)
                .withPhone(SEAL.seal("m-absorbed", "+8613900000001"), "+86 139****0001")
                .notified(new MemberDetails.Notification("n1", "reward", "t", "b", Instant.EPOCH, false));
        MemberDetailsMerge merge = new MemberDetailsMerge(details, SEAL);

        MemberDetails once = merge.combine(into, from);
        MemberDetails twice = merge.combine(once, from);

        assertThat(once.address()).isEqualTo("Shanghai");
        assertThat(once.gender()).isEqualTo("female");
        assertThat(SEAL.open("m-survivor", once.phoneSealed())).isEqualTo("+8613900000001");
        assertThat(twice).isEqualTo(once);
    }
}
