package dev.siyu.functions.miniappapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The staff routes through the function on DynamoDB Local, WxJava against the WeCom stub (auth/getuserinfo) and the
 * Mini Program stub: the two samples (events/miniapp-api-staff-*.json) with a stub's OAuth code, a member's code and
 * the staff token filled in, as the till does it.
 */
@QuarkusTest
@QuarkusTestResource(value = MiniappStack.Resource.class, restrictToAnnotatedClass = true)
class StaffRoutesTest {
    @InjectStack
    MiniappStack stack;

    private ObjectNode sample(String name, String body, String token) throws IOException {
        ObjectNode e = (ObjectNode) Requests.JSON.readTree(stack.ingest.services.event(name));
        e.put("body", body);
        if (token != null) {
            ((ObjectNode) e.get("headers")).put("authorization", "Bearer " + token);
        }
        return e;
    }

    private static ObjectNode request(String method, String path, String token, String body) {
        ObjectNode e = Requests.event(path, token == null ? Map.of() : Map.of("authorization", "Bearer " + token), body);
        e.put("routeKey", "ANY /miniapp/{proxy+}");
        ((ObjectNode) e.get("requestContext").get("http")).put("method", method);
        return e;
    }

    private Requests.Reply staffSession(String code) throws IOException {
        return Requests.invoke(sample("miniapp-api-staff-session.json", "{\"code\":\"" + code + "\"}", null));
    }

    private Requests.Reply checkIn(String token, String memberCode) throws IOException {
        return Requests.invoke(sample("miniapp-api-staff-check-in.json",
                "{\"member_code\":\"" + memberCode + "\",\"store\":\"sh01\"}", token));
    }

    @Test
    void aStaffMemberSignedInThroughWeComChecksAMemberInOnce() throws IOException {
        Requests.Reply login = Requests.invoke(request("POST", "/miniapp/login", null,
                "{\"code\":\"staff-test-member-" + System.nanoTime() + "\"}"));
        String memberToken = login.body().path("token").asText();
        String customer = login.body().path("customer_id").asText();
        String memberCode = Requests.invoke(request("GET", "/miniapp/member-code", memberToken, null)).body()
                .path("code").asText();

        Requests.Reply session = staffSession(stack.ingest.services.stub().oauthCode("zhangsan"));
        String staffToken = session.body().path("token").asText();
        Requests.Reply first = checkIn(staffToken, memberCode);
        Requests.Reply again = checkIn(staffToken, memberCode);
        Requests.Reply withMemberToken = checkIn(memberToken, memberCode);

        assertThat(session.status()).as(session.body().toString()).isEqualTo(200);
        assertThat(session.body().path("userid").asText()).isEqualTo("zhangsan");
        assertThat(session.body().path("expires_in").asLong()).isBetween(7000L, 7200L);
        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.body().path("customer_id").asText()).isEqualTo(customer);
        assertThat(first.body().path("tier").asText()).isEqualTo("silver");
        assertThat(first.body().path("first_visit_today").asBoolean()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(withMemberToken.status()).isEqualTo(401);
        List<TimelineEvent> visits = stack.ingest.timeline(customer, "store_visit");
        assertThat(visits).hasSize(1);
        assertThat(visits.get(0).details()).containsEntry("store", "sh01").containsEntry("staff", "zhangsan");
        assertThat(stack.ingest.profile(customer).activity().lastInteractionAt()).isEqualTo(visits.get(0).at());
    }

    @Test
    void aUsedOAuthCodeIsRefusedAndAForgedMemberCodeWritesNothing() throws IOException {
        String code = stack.ingest.services.stub().oauthCode("lisi");
        assertThat(staffSession(code).status()).isEqualTo(200);
        Requests.Reply reused = staffSession(code);
        String token = staffSession(stack.ingest.services.stub().oauthCode("lisi")).body().path("token").asText();
        long items = stack.ingest.itemCount();

        Requests.Reply forged = checkIn(token, "mc1.m-000000000000000000000000.29671340.AAAAAAAAAAAAAAAAAAAAAA");

        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.body().path("field").asText()).isEqualTo("code");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body().path("field").asText()).isEqualTo("member_code");
        assertThat(stack.ingest.itemCount()).isEqualTo(items);
    }

    /** Warm latency of a first scan (a new visit) through the function; printed for docs/miniapp.md. */
    @Test
    void warmLatencyOfACheckIn() throws IOException {
        String staffToken = staffSession(stack.ingest.services.stub().oauthCode("wangwu")).body().path("token").asText();
        List<String> codes = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String token = Requests.invoke(request("POST", "/miniapp/login", null,
                    "{\"code\":\"latency-" + i + "-" + System.nanoTime() + "\"}")).body().path("token").asText();
            codes.add(Requests.invoke(request("GET", "/miniapp/member-code", token, null)).body().path("code").asText());
        }
        List<Long> micros = new java.util.ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            long t = System.nanoTime();
            Requests.Reply r = checkIn(staffToken, codes.get(i));
            long took = (System.nanoTime() - t) / 1000;
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            if (i >= 20) {
                micros.add(took);
            }
        }
        java.util.Collections.sort(micros);
        System.out.printf("check-in warm latency over %d calls: p50 %.1f ms, p99 %.1f ms%n", micros.size(),
                micros.get(micros.size() / 2) / 1000.0, micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000.0);
    }
}
