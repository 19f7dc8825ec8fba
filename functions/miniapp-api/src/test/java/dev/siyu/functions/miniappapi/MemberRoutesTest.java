package dev.siyu.functions.miniappapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.stack.miniapp.MiniProgramStub;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The member routes through the function on DynamoDB Local, WxJava's Mini Program module and the Mini Program
 * stub: every events/miniapp-api-member-*.json sample (with the token a login gave), the token rules, and a
 * points balance fed by ingestion.
 */
@QuarkusTest
@QuarkusTestResource(value = MiniappStack.Resource.class, restrictToAnnotatedClass = true)
class MemberRoutesTest {
    private static final String TOKEN_PLACEHOLDER = "Bearer <token from POST /miniapp/login>";

    @InjectStack
    MiniappStack stack;

    private JsonNode sample(String name, String token) throws IOException {
        ObjectNode e = (ObjectNode) Requests.JSON.readTree(stack.ingest.services.event(name));
        if (token != null && e.path("headers").has("authorization")) {
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

    private String login(String code) {
        Requests.Reply r = Requests.invoke(request("POST", "/miniapp/login", null, "{\"code\":\"" + code + "\"}"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().path("token").asText();
    }

    private void order(String orderId, String openid, String amount) {
        String body = "{\"order_id\":\"" + orderId + "\",\"customer\":{\"openid\":\"" + openid + "\"},\"amount\":\""
                + amount + "\",\"currency\":\"CNY\",\"at\":\"" + Instant.now().minusSeconds(60) + "\",\"lines\":[{\"sku\":"
                + "\"SK-1\",\"category\":\"skincare\",\"quantity\":1,\"amount\":\"" + amount + "\"}]}";
        Requests.Reply r = Requests.invoke(Requests.signed("/ingest/orders", "pos", stack.ingest.secret("pos"), body));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    @Test
    void everySampleIsAnsweredWithTheTokenALoginGave() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(stack.ingest.services.root().resolve("events"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("miniapp-api-member-"))
                    .sorted().toList();
        }
        assertThat(names).hasSize(18);
        Requests.Reply login = Requests.invoke(sample("miniapp-api-member-login.json", null));
        assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
        String token = login.body().path("token").asText();
        String customer = login.body().path("customer_id").asText();
        // Points before the redemption sample: ingestion credits the member the sample login created.
        order("MP-SAMPLE-1", MiniProgramStub.openidOf("sample-login-code-0001"), "388.00");

        List<String> order = new ArrayList<>(List.of("me-edit", "authorize", "phone", "consent-grant", "redeem",
                "event", "subscribe"));
        names.stream().map(n -> n.substring("miniapp-api-member-".length(), n.length() - ".json".length()))
                .filter(n -> !order.contains(n) && !n.equals("login")).forEach(order::add);
        for (String n : order) {
            Requests.Reply r = Requests.invoke(sample("miniapp-api-member-" + n + ".json", token));
            assertThat(r.status()).as(n + ": " + r.body()).isEqualTo(200);
        }

        Requests.Reply me = Requests.invoke(sample("miniapp-api-member-me.json", token));
        assertThat(me.body().path("customer_id").asText()).isEqualTo(customer);
        assertThat(me.body().path("openid").asText()).isEqualTo(MiniProgramStub.openidOf("sample-login-code-0001"));
        assertThat(me.body().path("unionid").asText()).isEqualTo(MiniProgramStub.unionidOf("sample-login-code-0001"));
        assertThat(me.body().path("name").asText()).isEqualTo("Xiaomei");
        assertThat(me.body().path("date_of_birth").asText()).isEqualTo("1993-08-16");
        assertThat(me.body().path("phone").asText()).startsWith("+86 139****");
        assertThat(stack.ingest.customers.customerIdFor(IngestStack.TENANT, IdentityType.OPENID,
                MiniProgramStub.openidOf("sample-login-code-0001"))).contains(customer);
        Requests.Reply points = Requests.invoke(sample("miniapp-api-member-points.json", token));
        assertThat(points.body().path("balance").asLong()).as("388 earned, 100 spent on the sample kit").isEqualTo(288);
        assertThat(points.body().path("entries")).hasSize(2);
        assertThat(stack.ingest.profile(customer).activity().consentGrantedAt()).isNotNull();
        assertThat(stack.ingest.timeline(customer, "interacted")).extracting(e -> e.details().get("kind"))
                .contains("page_view");
        Requests.Reply subscriptions = Requests.invoke(sample("miniapp-api-member-subscriptions.json", token));
        assertThat(subscriptions.body().path("subscriptions")).as("the sample accepted repurchase_reminder once")
                .anySatisfy(s -> {
                    assertThat(s.path("template").asText()).isEqualTo("repurchase_reminder");
                    assertThat(s.path("remaining").asInt()).isEqualTo(1);
                });
    }

    /** Every log line the function writes while run runs, formatted as a log reader sees it. */
    private static String logsDuring(Runnable run) {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            private final java.util.logging.SimpleFormatter f = new java.util.logging.SimpleFormatter();

            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getLoggerName() + " " + f.formatMessage(r) + (r.getThrown() == null ? "" : r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(h);
        try {
            run.run();
        } finally {
            root.removeHandler(h);
        }
        return String.join("\n", lines);
    }

    @Test
    void neitherThePhoneNorTheAddressNorTheAppSecretReachesALog() {
        String[] token = new String[1];
        String logs = logsDuring(() -> {
            token[0] = login("routes-logs-0001");
            Requests.invoke(request("POST", "/miniapp/login", null, "{\"code\":\"routes-logs-0001\"}"));
            Requests.invoke(request("PUT", "/miniapp/me", token[0], "{\"address\":\"Room 7, 99 Nanjing West Rd\"}"));
            Requests.Reply phone = Requests.invoke(request("POST", "/miniapp/me/phone", token[0],
                    "{\"code\":\"routes-phone-0001\"}"));
            assertThat(phone.status()).as(phone.body().toString()).isEqualTo(200);
            Requests.invoke(request("POST", "/miniapp/me/phone", token[0], "{\"code\":\"routes-phone-0001\"}"));
        });
        String national = MiniProgramStub.phoneOf("routes-phone-0001").substring(3);

        assertThat(logs).contains("member phone linked").contains("member profile edited");
        assertThat(logs).doesNotContain(national).doesNotContain("Nanjing")
                .doesNotContain(stack.ingest.env.get("SIYU_MINIAPP_SECRET"));
    }

    @Test
    void aReusedCodeAndABadTokenAre401AndATokenReachesOnlyItsMember() {
        String alice = login("routes-alice-0001");
        Requests.Reply reused = Requests.invoke(request("POST", "/miniapp/login", null, "{\"code\":\"routes-alice-0001\"}"));
        assertThat(reused.status()).isEqualTo(401);
        assertThat(Requests.invoke(request("GET", "/miniapp/me", null, null)).status()).isEqualTo(401);
        String changed = alice.substring(0, alice.length() - 1) + (alice.endsWith("A") ? "B" : "A");
        assertThat(Requests.invoke(request("GET", "/miniapp/me", changed, null)).status()).isEqualTo(401);

        String bob = login("routes-bob-0001");
        Requests.Reply edit = Requests.invoke(request("PUT", "/miniapp/me", alice, "{\"name\":\"Alice\"}"));
        assertThat(edit.status()).isEqualTo(200);
        assertThat(Requests.invoke(request("GET", "/miniapp/me", bob, null)).body().path("name").isNull()).isTrue();
        Requests.Reply bad = Requests.invoke(request("PUT", "/miniapp/me", alice, "{\"date_of_birth\":\"1990-13-01\"}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("field").asText()).isEqualTo("date_of_birth");
        assertThat(Requests.invoke(request("PUT", "/miniapp/me", alice, "{\"name\":\"" + "x".repeat(20_000) + "\"}"))
                .body().path("field").asText()).isEqualTo("body");
    }

    /** Warm latencies through the function (mock Lambda runtime, DynamoDB Local, the stub), printed for docs/miniapp.md. */
    @Test
    void warmLatenciesOfLoginProfileReadAndRedemption() {
        int n = 200;
        for (int i = 0; i < 20; i++) {
            login("bench-warm-" + i);
        }
        long[] logins = new long[n];
        long[] reads = new long[n];
        long[] redemptions = new long[n];
        String token = login("bench-member-0001");
        order("BENCH-1", MiniProgramStub.openidOf("bench-member-0001"), "100000.00");
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            login("bench-login-" + i);
            logins[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            assertThat(Requests.invoke(request("GET", "/miniapp/me", token, null)).status()).isEqualTo(200);
            reads[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            Requests.Reply r = Requests.invoke(request("POST", "/miniapp/rewards/gift-wrap/redeem", token,
                    "{\"request_id\":\"bench-redeem-" + String.format("%04d", i) + "\"}"));
            redemptions[i] = System.nanoTime() - t0;
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        }
        System.out.printf("miniapp warm latency over %d calls (ms, p50/p99): login %.1f/%.1f, GET /miniapp/me %.1f/%.1f,"
                + " redeem %.1f/%.1f%n", n, p(logins, 50), p(logins, 99), p(reads, 50), p(reads, 99), p(redemptions, 50),
                p(redemptions, 99));
    }

    private static double p(long[] nanos, int percentile) {
        long[] s = nanos.clone();
        java.util.Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(percentile / 100.0 * s.length) - 1)] / 1e6;
    }
}
