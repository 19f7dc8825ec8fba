package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.memory.VirtualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The stub's HTTP surface, spoken to with a plain JDK HttpClient the way WxJava would. */
class WeComStubTest {

    static final String CORP = "wwsiyu0000demo0001";
    static final String SECRET = "siyu-local-contact-secret";

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    final VirtualClock clock = new VirtualClock(Instant.parse("2025-06-01T00:00:00Z"));
    WeComStub stub;

    @BeforeEach
    void start() {
        stub = new WeComStub(CORP, SECRET, clock).start(0);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Nested
    class Tokens {

        @Test
        void gettokenIssuesATwoHourToken() throws Exception {
            JsonNode r = get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + SECRET);

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("access_token").asText()).isNotBlank();
            assertThat(r.path("expires_in").asInt()).isEqualTo(7200);
        }

        @Test
        void gettokenChecksTheCredentials() throws Exception {
            assertThat(get("/cgi-bin/gettoken?corpid=wwother&corpsecret=" + SECRET).path("errcode").asInt()).isEqualTo(40013);
            assertThat(get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=wrong").path("errcode").asInt()).isEqualTo(40001);
            assertThat(get("/cgi-bin/gettoken?corpsecret=" + SECRET).path("errcode").asInt()).isEqualTo(41002);
            assertThat(get("/cgi-bin/gettoken?corpid=" + CORP).path("errcode").asInt()).isEqualTo(41004);
        }

        @Test
        void aStubWithoutCredentialsAcceptsAny() throws Exception {
            try (WeComStub open = new WeComStub().start(0)) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(open.baseUrl() + "/cgi-bin/gettoken?corpid=a&corpsecret=b")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(json.readTree(r.body()).path("errcode").asInt()).isZero();
            }
        }

        @Test
        void everyApiCallNeedsAValidToken() throws Exception {
            assertThat(post("/cgi-bin/externalcontact/get_corp_tag_list", "{}").path("errcode").asInt()).isEqualTo(41001);
            assertThat(post("/cgi-bin/externalcontact/get_corp_tag_list?access_token=made-up", "{}").path("errcode").asInt())
                    .isEqualTo(40014);
            String token = token();
            assertThat(post(api("externalcontact/get_corp_tag_list", token), "{}").path("errcode").asInt()).isZero();
        }

        @Test
        void expiredTokensAnswer42001AndANewTokenWorks() throws Exception {
            String token = token();
            assertThat(post("/_expire_tokens", "").path("errcode").asInt()).isZero();

            assertThat(post(api("externalcontact/get_corp_tag_list", token), "{}").path("errcode").asInt()).isEqualTo(42001);
            assertThat(post(api("externalcontact/get_corp_tag_list", token()), "{}").path("errcode").asInt()).isZero();
        }

        @Test
        void tokensExpireOnTheStubsClock() throws Exception {
            String token = token();
            clock.advance(Duration.ofSeconds(7199));
            assertThat(post(api("externalcontact/get_corp_tag_list", token), "{}").path("errcode").asInt()).isZero();

            clock.advance(Duration.ofSeconds(1));
            assertThat(post(api("externalcontact/get_corp_tag_list", token), "{}").path("errcode").asInt()).isEqualTo(42001);
        }
    }

    @Nested
    class Recording {

        @Test
        void everyCallIsRecordedWithoutTokenOrSecret() throws Exception {
            String token = token();
            post(api("externalcontact/send_welcome_msg", token), "{\"welcome_code\":\"W1\",\"text\":{\"content\":\"hi\"}}");

            JsonNode calls = get("/_calls");

            assertThat(calls).hasSize(2);
            JsonNode gettoken = calls.get(0);
            assertThat(gettoken.path("api").asText()).isEqualTo("gettoken");
            assertThat(gettoken.path("query").path("corpsecret").asText()).isEqualTo("***");
            assertThat(gettoken.path("body").isNull()).isTrue();
            JsonNode welcome = calls.get(1);
            assertThat(welcome.path("at").asText()).isEqualTo("2025-06-01T00:00:00Z");
            assertThat(welcome.path("api").asText()).isEqualTo("externalcontact/send_welcome_msg");
            assertThat(welcome.path("query").has("access_token")).isFalse();
            assertThat(welcome.path("body").path("welcome_code").asText()).isEqualTo("W1");
            assertThat(welcome.path("errcode").asInt()).isZero();
            assertThat(welcome.path("http_status").asInt()).isEqualTo(200);
            assertThat(json.writeValueAsString(calls)).doesNotContain(token, SECRET);
        }

        @Test
        void deleteClearsTheCalls() throws Exception {
            token();
            assertThat(delete("/_calls").path("errcode").asInt()).isZero();

            assertThat(get("/_calls")).isEmpty();
        }

        @Test
        void unknownApisAre404ButRecorded() throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(api("externalcontact/nope", token())))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(stub.calls("externalcontact/nope")).singleElement()
                    .extracting(RecordedCall::httpStatus).isEqualTo(404);
        }

        @Test
        void aBodyThatIsNotJsonIs47001() throws Exception {
            assertThat(post(api("externalcontact/mark_tag", token()), "{oops").path("errcode").asInt()).isEqualTo(47001);
        }
    }

    @Nested
    class FailureInjection {

        @Test
        void errcodeForTheNextNCalls() throws Exception {
            String token = token();
            post("/_fail", "{\"api\":\"externalcontact/get_corp_tag_list\",\"errcode\":45009,\"times\":2}");

            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                codes.add(post(api("externalcontact/get_corp_tag_list", token), "{}").path("errcode").asInt());
            }

            assertThat(codes).containsExactly(45009, 45009, 0);
        }

        @Test
        void httpStatusInsteadOfAnAnswer() throws Exception {
            String token = token();
            post("/_fail", "{\"api\":\"externalcontact/get_corp_tag_list\",\"http_status\":503,\"times\":1}");

            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(api("externalcontact/get_corp_tag_list", token)))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(stub.calls("externalcontact/get_corp_tag_list")).singleElement()
                    .satisfies(c -> assertThat(c.httpStatus()).isEqualTo(503));
        }

        @Test
        void delayBeforeAnswering() throws Exception {
            String token = token();
            post("/_fail", "{\"api\":\"externalcontact/get_corp_tag_list\",\"delay_ms\":300}");

            long start = System.nanoTime();
            JsonNode r = post(api("externalcontact/get_corp_tag_list", token), "{}");

            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
            assertThat(r.path("errcode").asInt()).isZero();
        }

        @Test
        void gettokenCanFailToo() throws Exception {
            stub.failNext("gettoken", InjectedFailure.errcode(-1, 1));

            assertThat(get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + SECRET).path("errcode").asInt()).isEqualTo(-1);
            assertThat(token()).isNotBlank();
        }

        @Test
        void foreverUntilCleared() throws Exception {
            String token = token();
            stub.failNext("externalcontact/mark_tag", InjectedFailure.errcode(45009, InjectedFailure.FOREVER));
            for (int i = 0; i < 5; i++) {
                assertThat(post(api("externalcontact/mark_tag", token), "{}").path("errcode").asInt()).isEqualTo(45009);
            }

            delete("/_fail");

            assertThat(post(api("externalcontact/mark_tag", token), "{}").path("errcode").asInt()).isEqualTo(40058);
        }

        @Test
        void aBadFailureRequestIs400() throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/_fail"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"errcode\":1}")).build());

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("api is required");
            assertThatThrownBy(() -> InjectedFailure.errcode(45009, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ExternalContacts {

        @Test
        void unknownIdsGetADeterministicCustomer() throws Exception {
            JsonNode c = get(api("externalcontact/get", token()) + "&external_userid=wmEAST00000000000000000001");

            assertThat(c.path("errcode").asInt()).isZero();
            JsonNode contact = c.path("external_contact");
            assertThat(contact.path("external_userid").asText()).isEqualTo("wmEAST00000000000000000001");
            assertThat(contact.path("name").asText()).isEqualTo("Customer 0001");
            assertThat(contact.path("type").asInt()).isEqualTo(1);
            assertThat(contact.path("unionid").asText()).hasSize(28);
            assertThat(c.path("follow_user").isArray()).isTrue();
            assertThat(StubState.synthesize("wmEAST00000000000000000001"))
                    .isEqualTo(StubState.synthesize("wmEAST00000000000000000001"));
            assertThat(StubState.synthesize("wmNoDigits").name()).matches("Customer \\d{4}");
        }

        @Test
        void registeredContactsAnswerAsThemselvesWithTheirTags() throws Exception {
            String token = token();
            post("/_contacts", "{\"external_userid\":\"wmVIP1\",\"name\":\"Li Lei\",\"avatar\":\"https://img/a.png\","
                    + "\"unionid\":\"oUNION1\",\"follow_user\":[\"zhangsan\"]}");
            String tagId = post(api("externalcontact/add_corp_tag", token),
                    "{\"group_name\":\"tier\",\"tag\":[{\"name\":\"vip\"}]}").path("tag_group").path("tag").get(0).path("id").asText();
            post(api("externalcontact/mark_tag", token),
                    "{\"userid\":\"zhangsan\",\"external_userid\":\"wmVIP1\",\"add_tag\":[\"" + tagId + "\"]}");

            JsonNode c = get(api("externalcontact/get", token) + "&external_userid=wmVIP1");

            assertThat(c.path("external_contact").path("name").asText()).isEqualTo("Li Lei");
            assertThat(c.path("external_contact").path("unionid").asText()).isEqualTo("oUNION1");
            JsonNode follow = c.path("follow_user").get(0);
            assertThat(follow.path("userid").asText()).isEqualTo("zhangsan");
            assertThat(follow.path("tags").get(0).path("tag_name").asText()).isEqualTo("vip");
            assertThat(follow.path("tags").get(0).path("group_name").asText()).isEqualTo("tier");
        }

        @Test
        void registeringWithoutAnIdIs400() throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/_contacts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"A\"}")).build());

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("external_userid is required");
        }

        @Test
        void aMissingIdIs40096() throws Exception {
            assertThat(get(api("externalcontact/get", token())).path("errcode").asInt()).isEqualTo(40096);
        }
    }

    @Nested
    class ContactWays {

        @Test
        void addGetUpdateDelete() throws Exception {
            String token = token();
            JsonNode added = post(api("externalcontact/add_contact_way", token),
                    "{\"type\":\"1\",\"scene\":2,\"style\":1,\"remark\":\"east\",\"skip_verify\":true,"
                            + "\"state\":\"parcel_card_east\",\"user\":[\"zhangsan\"]}");
            String configId = added.path("config_id").asText();
            assertThat(added.path("qr_code").asText()).isEqualTo("https://wework.qpic.cn/wwpic/" + configId + ".png");

            JsonNode got = post(api("externalcontact/get_contact_way", token), "{\"config_id\":\"" + configId + "\"}");
            assertThat(got.path("contact_way").path("state").asText()).isEqualTo("parcel_card_east");
            assertThat(got.path("contact_way").path("style").asInt()).isEqualTo(1);

            assertThat(post(api("externalcontact/update_contact_way", token),
                    "{\"config_id\":\"" + configId + "\",\"user\":[\"lisi\"],\"state\":\"moved\"}").path("errcode").asInt()).isZero();
            got = post(api("externalcontact/get_contact_way", token), "{\"config_id\":\"" + configId + "\"}");
            assertThat(got.path("contact_way").path("user").toString()).isEqualTo("[\"lisi\"]");
            assertThat(got.path("contact_way").path("remark").asText()).isEqualTo("east");

            assertThat(post(api("externalcontact/del_contact_way", token), "{\"config_id\":\"" + configId + "\"}")
                    .path("errcode").asInt()).isZero();
            assertThat(post(api("externalcontact/get_contact_way", token), "{\"config_id\":\"" + configId + "\"}")
                    .path("errcode").asInt()).isEqualTo(40058);
        }

        @Test
        void configIdsAreDeterministicAfterAReset() throws Exception {
            String body = "{\"type\":1,\"scene\":2,\"user\":[\"zhangsan\"]}";
            String first = post(api("externalcontact/add_contact_way", token()), body).path("config_id").asText();
            delete("/_state");

            assertThat(post(api("externalcontact/add_contact_way", token()), body).path("config_id").asText()).isEqualTo(first);
        }

        @Test
        void invalidParametersAre40058() throws Exception {
            String token = token();
            assertThat(post(api("externalcontact/add_contact_way", token),
                    "{\"type\":1,\"scene\":2,\"user\":[\"zhangsan\"],\"state\":\"" + "s".repeat(31) + "\"}")
                    .path("errmsg").asText()).contains("state");
            assertThat(post(api("externalcontact/add_contact_way", token),
                    "{\"type\":1,\"scene\":2,\"user\":[\"zhangsan\",\"lisi\"]}").path("errcode").asInt()).isEqualTo(40058);
            assertThat(post(api("externalcontact/add_contact_way", token),
                    "{\"type\":3,\"scene\":2,\"user\":[\"zhangsan\"]}").path("errcode").asInt()).isEqualTo(40058);
            assertThat(post(api("externalcontact/add_contact_way", token),
                    "{\"type\":2,\"scene\":2}").path("errcode").asInt()).isEqualTo(40058);
            assertThat(post(api("externalcontact/add_contact_way", token),
                    "{\"type\":1,\"scene\":2,\"user\":[\"zhangsan\"],\"state\":\"" + "s".repeat(30) + "\"}")
                    .path("errcode").asInt()).isZero();
        }

        @Test
        void miniProgramScenesHaveNoQrCode() throws Exception {
            JsonNode added = post(api("externalcontact/add_contact_way", token()), "{\"type\":1,\"scene\":1,\"user\":[\"a\"]}");

            assertThat(added.has("qr_code")).isFalse();
        }
    }

    @Nested
    class WelcomeMessages {

        @Test
        void aWelcomeCodeWorksOnce() throws Exception {
            String token = token();
            String body = "{\"welcome_code\":\"W1\",\"text\":{\"content\":\"hi\"}}";

            assertThat(post(api("externalcontact/send_welcome_msg", token), body).path("errcode").asInt()).isZero();
            assertThat(post(api("externalcontact/send_welcome_msg", token), body).path("errcode").asInt()).isEqualTo(41051);
            assertThat(get("/_state").path("welcome_messages")).hasSize(1);
        }

        @Test
        void concurrentUsesOfOneCodeSucceedExactlyOnce() throws Exception {
            String token = token();
            String body = "{\"welcome_code\":\"RACE\",\"text\":{\"content\":\"hi\"}}";
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    tasks.add(() -> post(api("externalcontact/send_welcome_msg", token), body).path("errcode").asInt());
                }
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(tasks)) {
                    codes.add(f.get());
                }
                assertThat(codes).containsOnly(0, 41051).filteredOn(c -> c == 0).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(stub.calls("externalcontact/send_welcome_msg")).hasSize(16);
        }

        @Test
        void emptyMessagesAreRefused() throws Exception {
            assertThat(post(api("externalcontact/send_welcome_msg", token()), "{\"welcome_code\":\"W\"}")
                    .path("errcode").asInt()).isEqualTo(40058);
        }
    }

    @Nested
    class CorpTags {

        @Test
        void addCreatesTheGroupAndRefusesDuplicates() throws Exception {
            String token = token();
            JsonNode first = post(api("externalcontact/add_corp_tag", token),
                    "{\"group_name\":\"channel\",\"tag\":[{\"name\":\"livestream\"}]}");
            JsonNode second = post(api("externalcontact/add_corp_tag", token),
                    "{\"group_name\":\"channel\",\"tag\":[{\"name\":\"parcel_card\"}]}");
            JsonNode duplicate = post(api("externalcontact/add_corp_tag", token),
                    "{\"group_name\":\"channel\",\"tag\":[{\"name\":\"livestream\"}]}");

            assertThat(first.path("tag_group").path("group_id").asText())
                    .isEqualTo(second.path("tag_group").path("group_id").asText());
            assertThat(second.path("tag_group").path("tag")).hasSize(1);
            assertThat(duplicate.path("errcode").asInt()).isEqualTo(40071);

            JsonNode list = post(api("externalcontact/get_corp_tag_list", token), "{}");
            assertThat(list.path("tag_group")).hasSize(1);
            assertThat(list.path("tag_group").get(0).path("tag")).extracting(t -> t.path("name").asText())
                    .containsExactly("livestream", "parcel_card");
        }

        @Test
        void listFiltersByTagAndGroupIds() throws Exception {
            String token = token();
            String a = post(api("externalcontact/add_corp_tag", token), "{\"group_name\":\"g1\",\"tag\":[{\"name\":\"a\"},{\"name\":\"b\"}]}")
                    .path("tag_group").path("tag").get(0).path("id").asText();
            String g2 = post(api("externalcontact/add_corp_tag", token), "{\"group_name\":\"g2\",\"tag\":[{\"name\":\"c\"}]}")
                    .path("tag_group").path("group_id").asText();

            JsonNode byTag = post(api("externalcontact/get_corp_tag_list", token), "{\"tag_id\":[\"" + a + "\"]}");
            JsonNode byGroup = post(api("externalcontact/get_corp_tag_list", token), "{\"group_id\":[\"" + g2 + "\"]}");

            assertThat(byTag.path("tag_group")).hasSize(1);
            assertThat(byTag.path("tag_group").get(0).path("tag")).hasSize(1);
            assertThat(byGroup.path("tag_group").get(0).path("group_name").asText()).isEqualTo("g2");
        }

        @Test
        void markTagChecksTagIds() throws Exception {
            assertThat(post(api("externalcontact/mark_tag", token()),
                    "{\"userid\":\"zhangsan\",\"external_userid\":\"wm1\",\"add_tag\":[\"etNOPE\"]}").path("errcode").asInt())
                    .isEqualTo(40068);
        }
    }

    @Test
    void deleteStateForgetsEverything() throws Exception {
        String token = token();
        post(api("externalcontact/send_welcome_msg", token), "{\"welcome_code\":\"W1\",\"text\":{\"content\":\"hi\"}}");
        stub.registerContact(new StubContact("wm1", "A", null, null));
        stub.failNext("gettoken", InjectedFailure.errcode(-1, 3));

        delete("/_state");

        JsonNode state = get("/_state");
        assertThat(state.path("tokens").asInt()).isZero();
        assertThat(state.path("contacts")).isEmpty();
        assertThat(state.path("used_welcome_codes")).isEmpty();
        assertThat(state.path("pending_failures")).isEmpty();
        assertThat(get("/_calls")).isEmpty();
        assertThat(post(api("externalcontact/get_corp_tag_list", token), "{}").path("errcode").asInt()).isEqualTo(40014);
    }

    @Test
    void unknownControlRoutesAre404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/_nope")).build()).statusCode()).isEqualTo(404);
    }

    @Test
    void startTwiceIsAnError() {
        assertThatThrownBy(() -> stub.start(0)).isInstanceOf(IllegalStateException.class);
    }

    // ---- helpers ----

    private String token() throws IOException, InterruptedException {
        return get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + SECRET).path("access_token").asText();
    }

    private static String api(String name, String token) {
        return "/cgi-bin/" + name + "?access_token=" + token;
    }

    private URI uri(String pathAndQuery) {
        return URI.create(stub.baseUrl() + pathAndQuery);
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        return json.readTree(send(HttpRequest.newBuilder(uri(pathAndQuery)).build()).body());
    }

    private JsonNode post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return json.readTree(send(HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).body());
    }

    private JsonNode delete(String path) throws IOException, InterruptedException {
        return json.readTree(send(HttpRequest.newBuilder(uri(path)).DELETE().build()).body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
