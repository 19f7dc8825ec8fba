package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.SignedCallbacks;
import dev.siyu.embedded.StackPorts;
import dev.siyu.stack.wecom.InjectedFailure;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./siyu local} in this JVM on free ports: a signed, encrypted callback over HTTP through
 * the gateway into the packaged function process, then the inspection commands against its table.
 */
@Timeout(120)
class LocalServerTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static LocalServer server;

    @BeforeAll
    static void start() {
        server = LocalServer.start(LocalEnv.load(ROOT, Map.of()), ROOT.resolve(Blueprint.DEFAULT), StackPorts.EPHEMERAL,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aNewContactStartsTheActivationJourneyWhoseFirstStepTheLocalWorkerRuns() throws Exception {
        // GIVEN a customer who scanned the livestream code
        String customer = "wmjourney" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        SignedCallbacks callbacks = new SignedCallbacks(server.stack.wecomSettings);
        EncryptedCallback callback = callbacks.encrypt(CallbackXml.contactAdded(server.stack.wecomSettings.corpId(),
                "wangwu", customer, "livestream_qr", "WELCOME-" + customer, Instant.now()));

        // WHEN WeCom posts the callback
        assertThat(callbacks.post(server.url(), callback).status()).isEqualTo(200);

        // THEN the function's contact_added trigger reaches the in-process worker through ElasticMQ: the
        // activation journey starts and its first step is decided by the gate and written to the customer's
        // timeline
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        List<String> kinds = List.of();
        while (System.nanoTime() < deadline) {
            kinds = server.stack.customers.timeline(server.stack.tenant(), "wx-" + customer).stream()
                    .map(dev.siyu.core.profile.TimelineEvent::kind).toList();
            if (kinds.contains("journey_started") && kinds.contains("desk_task_created")) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(kinds).contains("contact_added", "journey_started");
        // the welcome step leaves its message on the advisor's staff desk, at any hour
        assertThat(kinds).contains("desk_task_created");
    }

    @Test
    void aSignedOrderThroughTheGatewayEarnsPointsAtOnce() throws Exception {
        // GIVEN an order from the till, signed with the pos source's secret from config/local.env
        String member = "POS-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"order_id\":\"GW-" + member + "\",\"customer\":{\"pos_member_id\":\"" + member
                + "\"},\"amount\":\"388.00\",\"currency\":\"CNY\",\"at\":\"" + Instant.now().minusSeconds(60)
                + "\",\"lines\":[{\"sku\":\"SERUM-30ML\",\"category\":\"skincare\",\"quantity\":1,"
                + "\"amount\":\"388.00\"}]}";
        String secret = LocalEnv.load(ROOT, Map.of()).get("SIYU_INGEST_SECRET_POS");
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(server.url() + "/ingest/orders"))
                .header("Content-Type", "application/json").header("X-Siyu-Source", "pos")
                .POST(HttpRequest.BodyPublishers.ofString(body));

        // WHEN the till posts it to the gateway, once badly signed and once well
        HttpResponse<String> forged = HttpClient.newHttpClient().send(post.copy()
                .header("X-Siyu-Signature", "sha256=" + "0".repeat(64)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> signed = HttpClient.newHttpClient().send(post.copy().header("X-Siyu-Signature",
                        dev.siyu.core.ingest.IngestEndpoint.signature(secret.getBytes(StandardCharsets.UTF_8),
                                body.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());

        // THEN the forged one is refused and the signed one's points are on the member's profile before the answer
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(signed.body());
        assertThat(answer.path("points").asLong()).isEqualTo(388);
        assertThat(server.stack.customers.profile(server.stack.tenant(), answer.path("customer_id").asText())
                .orElseThrow().activity().points().balance()).isEqualTo(388);
    }

    @Test
    void aNewContactThroughTheGatewayIsGreetedTaggedAndListed() throws Exception {
        // GIVEN a customer who scanned the parcel card and added Zhang San
        String customer = "wmtest" + UUID.randomUUID().toString().replace("-", "");
        SignedCallbacks callbacks = new SignedCallbacks(server.stack.wecomSettings);
        EncryptedCallback callback = callbacks.encrypt(CallbackXml.contactAdded(server.stack.wecomSettings.corpId(),
                "zhangsan", customer, "parcel_card_east", "WELCOME-" + customer, Instant.now()));

        // WHEN WeCom posts the callback to the gateway
        SignedCallbacks.Reply reply = callbacks.post(server.url(), callback);

        // THEN the function acknowledged it and the stub got Zhang San's welcome message with the code
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("success");
        List<RecordedCall> welcomes = server.stack.stub.calls("externalcontact/send_welcome_msg").stream()
                .filter(c -> ("WELCOME-" + customer).equals(c.body().path("welcome_code").asText())).toList();
        assertThat(welcomes).hasSize(1);
        assertThat(welcomes.get(0).body().path("text").path("content").asText())
                .isEqualTo("Hi~ I'm your dedicated advisor Zhang San. Thanks for your purchase! "
                        + "Reply 1 for a VIP community invite, reply 2 for a product guide");

        // AND channels --json lists the example's four codes with exactly the five keys
        Output channels = run("channels", "--json", "--dynamodb", server.stack.dynamo.endpoint().toString());
        assertThat(channels.code).isZero();
        JsonNode codes = new ObjectMapper().readTree(channels.out);
        assertThat(codes.isArray()).isTrue();
        List<String> states = new ArrayList<>();
        for (JsonNode c : codes) {
            List<String> keys = new ArrayList<>();
            c.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyInAnyOrder("name", "type", "state", "staff", "qr_url");
            assertThat(c.path("staff").isArray()).isTrue();
            states.add(c.path("state").asText());
        }
        assertThat(states).containsExactlyInAnyOrder("parcel_card_east", "livestream_qr", "in_store.sh01", "in_store.hz01");
        assertThat(codes.get(0).path("type").asText()).isIn("auto_assign", "round_robin", "location_based");

        // AND profile prints the customer's tags and relationship
        Output profile = run("profile", "--external-user-id", customer, "--dynamodb", server.stack.dynamo.endpoint().toString());
        assertThat(profile.code).isZero();
        JsonNode p = new ObjectMapper().readTree(profile.out);
        List<String> tags = new ArrayList<>();
        p.path("tags").forEach(t -> tags.add(t.asText()));
        assertThat(tags).containsExactlyInAnyOrder("east_china", "new_customer", "package_insert");
        assertThat(p.path("channel").asText()).isEqualTo("parcel_card_east");
        assertThat(p.path("staff").get(0).path("user_id").asText()).isEqualTo("zhangsan");
        assertThat(contactAdded(p).isMissingNode()).isFalse();
    }

    @Test
    void theStaffSidebarThroughTheGatewaySignsStaffInShowsTheirCustomerAndMarksAReply() throws Exception {
        // GIVEN Zhang San's new customer from the parcel card
        String customer = "wmside" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        SignedCallbacks callbacks = new SignedCallbacks(server.stack.wecomSettings);
        assertThat(callbacks.post(server.url(), callbacks.encrypt(CallbackXml.contactAdded(
                server.stack.wecomSettings.corpId(), "zhangsan", customer, "parcel_card_east", "WELCOME-" + customer,
                Instant.now()))).status()).isEqualTo(200);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();

        // WHEN WeCom opens the page for Zhang San with an OAuth code, the page exchanges it for a session
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/sidebar/index.html"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<main id=\"sidebar\"");
        String code = server.stack.stub.oauthCode("zhangsan");
        JsonNode session = json.readTree(post(http, "/sidebar/api/session", null, "{\"code\":\"" + code + "\"}").body());
        String token = session.path("token").asText();
        assertThat(session.path("staff_user_id").asText()).isEqualTo("zhangsan");

        // THEN the customer's card comes from DynamoDB Local, and "customer replied" lands on the timeline
        HttpResponse<String> card = http.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/sidebar/api/customer?external_userid=" + customer))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(card.statusCode()).isEqualTo(200);
        assertThat(json.readTree(card.body()).path("tags").toString()).contains("package_insert");
        assertThat(post(http, "/sidebar/api/marks", token, "{\"external_userid\":\"" + customer
                + "\",\"mark\":\"replied\",\"request_id\":\"r1\"}").statusCode()).isEqualTo(200);
        assertThat(server.stack.customers.timeline(server.stack.tenant(), "wx-" + customer))
                .anySatisfy(e -> assertThat(e.kind()).isEqualTo("reply"));
        assertThat(server.stack.stub.calls("auth/getuserinfo")).isNotEmpty();
    }

    private HttpResponse<String> post(HttpClient http, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePackagedFunctionRecordsAWeComErrorReply() throws Exception {
        // Test classpaths carry jars function.zip does not (Guava, via DynamoDB Local); only the
        // packaged function shows whether WxJava can still parse an error reply in production.
        String customer = "wmerr" + UUID.randomUUID().toString().replace("-", "");
        server.stack.stub.failNext("externalcontact/send_welcome_msg", InjectedFailure.errcode(41051, 1));
        SignedCallbacks callbacks = new SignedCallbacks(server.stack.wecomSettings);

        SignedCallbacks.Reply reply = callbacks.post(server.url(), callbacks.encrypt(CallbackXml.contactAdded(
                server.stack.wecomSettings.corpId(), "lisi", customer, "parcel_card_east", "W-" + customer, Instant.now())));

        assertThat(reply.status()).isEqualTo(200);
        Output profile = run("profile", "--external-user-id", customer, "--dynamodb", server.stack.dynamo.endpoint().toString());
        // The journey worker runs beside the function now, so the contact_added event is found by kind:
        // journey events can carry the same instant.
        JsonNode details = contactAdded(new ObjectMapper().readTree(profile.out)).path("details");
        assertThat(details.path("welcome").asText()).isEqualTo("code_already_used");
        assertThat(details.path("welcome_errcode").asText()).isEqualTo("41051");
    }

    @Test
    void otherPathsAreNotFoundAndUnknownCustomersFail() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/nope")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);

        Output profile = run("profile", "--external-user-id", "wm-nobody", "--dynamodb", server.stack.dynamo.endpoint().toString());
        assertThat(profile.code).isEqualTo(1);
        assertThat(profile.err).contains("wm-nobody");
    }

    @Test
    void aCallbackWithABadSignatureIsRejectedByTheFunction() throws Exception {
        SignedCallbacks callbacks = new SignedCallbacks(server.stack.wecomSettings);
        EncryptedCallback good = callbacks.encrypt(CallbackXml.contactAdded(server.stack.wecomSettings.corpId(),
                "wangwu", "wmforged", "livestream_qr", "W", Instant.now()));
        EncryptedCallback forged = new EncryptedCallback(good.body(), "0".repeat(40), good.timestamp(), good.nonce(),
                good.encrypt());
        assertThat(callbacks.post(server.url(), forged).status()).isBetween(400, 499);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("bogus").code).isEqualTo(2);
        assertThat(run("channels", "--bogus").code).isEqualTo(2);
        assertThat(run("profile").code).isEqualTo(2);
        assertThat(run().code).isEqualTo(2);
        assertThat(run("help").out).contains("usage: ./siyu");
    }

    @Test
    void aSampleFromEventsSignedAgainWithTheTimeNowIsAccepted_theSameSampleAsRecordedIsRefusedAsAReplay() throws Exception {
        // GIVEN the add-contact sample, signed in 2025: posted as it is, the function refuses it as a replay
        JsonNode sample = new ObjectMapper().readTree(ROOT.resolve("events/wecom-callback-add-external-contact.json").toFile());
        String query = SignedCallbacks.queryString(new ObjectMapper().convertValue(sample.path("queryStringParameters"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { }));
        HttpResponse<String> asRecorded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + SignedCallbacks.ROUTE + "?" + query))
                .POST(HttpRequest.BodyPublishers.ofString(sample.path("body").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(asRecorded.statusCode()).isEqualTo(400);

        // WHEN ./siyu send signs it again
        Output sent = run("send", ROOT.resolve("events/wecom-callback-add-external-contact.json").toString(),
                "--gateway", server.url());

        // THEN the function takes it, and the customer is in the table
        assertThat(sent.code).as(sent.err).isZero();
        assertThat(sent.out).startsWith("200 success");
        Output profile = run("profile", "--external-user-id", "wmEAST00000000000000000001",
                "--dynamodb", server.stack.dynamo.endpoint().toString());
        assertThat(profile.code).as(profile.err).isZero();
    }

    @Test
    void sendWithoutASampleOrWithAMissingFileSaysWhatItNeeds() {
        Output none = run("send");
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("send needs an events/ callback sample");
        Output missing = run("send", "events/no-such-sample.json");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("no such file: events/no-such-sample.json");
    }

    record Output(int code, String out, String err) { }

    static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ROOT);
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The profile command's contact_added event, or a missing node. */
    private static JsonNode contactAdded(JsonNode profile) {
        for (JsonNode e : profile.path("timeline")) {
            if ("contact_added".equals(e.path("kind").asText())) {
                return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void aMemberLogsInWithAStubCodeAndReadsTheirProfileThroughTheGateway() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String code = "local-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.url() + "/miniapp/login")).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = new ObjectMapper().readTree(login.body()).path("token").asText();

        java.net.http.HttpResponse<String> me = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.url() + "/miniapp/me")).header("authorization", "Bearer " + token)
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(me.body()).path("openid").asText())
                .isEqualTo(dev.siyu.stack.miniapp.MiniProgramStub.openidOf(code));
        java.net.http.HttpResponse<String> noToken = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.url() + "/miniapp/me")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void aStaffMemberSignedInThroughTheStubChecksAMemberInThroughTheGateway() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String code = "local-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String member = json.readTree(post(http, "/miniapp/login", null, "{\"code\":\"" + code + "\"}").body())
                .path("token").asText();
        String memberCode = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.url() + "/miniapp/member-code")).header("authorization", "Bearer " + member)
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("code").asText();

        java.net.http.HttpResponse<String> session = post(http, "/miniapp/staff/session", null,
                "{\"code\":\"" + server.stack.stub.oauthCode("zhangsan") + "\"}");
        String staff = json.readTree(session.body()).path("token").asText();
        java.net.http.HttpResponse<String> visit = post(http, "/miniapp/staff/check-in", staff,
                "{\"member_code\":\"" + memberCode + "\",\"store\":\"sh01\"}");

        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        assertThat(visit.statusCode()).as(visit.body()).isEqualTo(200);
        assertThat(json.readTree(visit.body()).path("first_visit_today").asBoolean()).isTrue();
        assertThat(post(http, "/miniapp/staff/check-in", member,
                "{\"member_code\":\"" + memberCode + "\",\"store\":\"sh01\"}").statusCode()).isEqualTo(401);
    }
}
