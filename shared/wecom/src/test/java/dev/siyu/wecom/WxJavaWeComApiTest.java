package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.stack.wecom.InjectedFailure;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.StubContact;
import dev.siyu.stack.wecom.WeComStub;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** WxJavaWeComApi against the WeCom stub over real HTTP: the retry policy is observed in /_calls. */
class WxJavaWeComApiTest {

    static final WeComSettings LOCAL = LocalEnv.settings();
    static final Duration BUDGET = LOCAL.retry().callBudget();
    /** Scheduling slack on a busy 2-core CI machine; the budget itself is what is being tested. */
    static final long MARGIN_MS = 350;

    static WeComStub stub;
    WxJavaWeComApi api;
    final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startStub() {
        stub = new WeComStub(LOCAL.corpId(), LOCAL.secret()).start(0);
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @BeforeEach
    void freshApiAndStub() {
        stub.reset();
        api = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()));
        Logger.getLogger(WxJavaWeComApi.class.getName()).addHandler(capture);
    }

    @AfterEach
    void closeApi() {
        Logger.getLogger(WxJavaWeComApi.class.getName()).removeHandler(capture);
        api.close();
    }

    @Nested
    class Methods {

        @Test
        void contactOfAnUnknownIdIsSynthesizedDeterministically() {
            WeComApi.ContactDetail c = api.contact("wmEAST00000000000000000001");

            assertThat(c.externalUserId()).isEqualTo("wmEAST00000000000000000001");
            assertThat(c.name()).isEqualTo("Customer 0001");
            assertThat(c.unionId()).startsWith("o").hasSize(28);
            assertThat(c.type()).isEqualTo(1);
            assertThat(c.gender()).isIn(1, 2);
            assertThat(api.contact("wmEAST00000000000000000001")).isEqualTo(c);
            assertThat(apis()).containsExactly("gettoken", "externalcontact/get", "externalcontact/get");
            assertThat(stub.calls("externalcontact/get").get(0).query())
                    .containsEntry("external_userid", "wmEAST00000000000000000001")
                    .doesNotContainKey("access_token");
        }

        @Test
        void contactOfARegisteredCustomerIsTheirs() {
            stub.registerContact(new StubContact("wmVIP1", "Li Lei", "https://img.example/a.png", "oUNION_vip_1"));

            assertThat(api.contact("wmVIP1"))
                    .isEqualTo(new WeComApi.ContactDetail("wmVIP1", "Li Lei", "https://img.example/a.png", "oUNION_vip_1", 1, 0));
        }

        @Test
        void addContactWayForOneStaffMemberIsType1QrCode() {
            WeComApi.ContactWay way = api.addContactWay(List.of("zhangsan"), "parcel_card_east", "parcel card east");

            assertThat(way.configId()).matches("[0-9a-f]{32}");
            assertThat(way.qrCode()).isEqualTo("https://wework.qpic.cn/wwpic/" + way.configId() + ".png");
            JsonNode body = stub.calls("externalcontact/add_contact_way").get(0).body();
            assertThat(body.path("type").asInt()).isEqualTo(1);
            assertThat(body.path("scene").asInt()).isEqualTo(2);
            assertThat(body.path("state").asText()).isEqualTo("parcel_card_east");
            assertThat(body.path("remark").asText()).isEqualTo("parcel card east");
            assertThat(body.path("skip_verify").asBoolean()).isTrue();
            assertThat(body.path("user").toString()).isEqualTo("[\"zhangsan\"]");
        }

        @Test
        void addContactWayForSeveralStaffIsType2() {
            WeComApi.ContactWay way = api.addContactWay(List.of("zhangsan", "lisi"), "livestream_qr", null);

            JsonNode stored = stub.snapshot().path("contact_ways").get(0);
            assertThat(stored.path("config_id").asText()).isEqualTo(way.configId());
            assertThat(stored.path("type").asInt()).isEqualTo(2);
            assertThat(stored.path("user").toString()).isEqualTo("[\"zhangsan\",\"lisi\"]");
        }

        @Test
        void stateOverThirtyCharactersIsRefusedByWeComWithoutRetry() {
            assertThatThrownBy(() -> api.addContactWay(List.of("zhangsan"), "x".repeat(31), null))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(40058);
            assertThat(stub.calls("externalcontact/add_contact_way")).hasSize(1);
        }

        @Test
        void updateContactWaySendsOnlyWhatChanges() {
            WeComApi.ContactWay way = api.addContactWay(List.of("zhangsan"), "parcel_card_east", "east");

            api.updateContactWay(way.configId(), List.of("lisi"), "parcel_card_east2");

            JsonNode body = stub.calls("externalcontact/update_contact_way").get(0).body();
            assertThat(fieldNames(body)).containsExactly("config_id", "user", "state");
            JsonNode stored = stub.snapshot().path("contact_ways").get(0);
            assertThat(stored.path("user").toString()).isEqualTo("[\"lisi\"]");
            assertThat(stored.path("state").asText()).isEqualTo("parcel_card_east2");
            assertThat(stored.path("remark").asText()).isEqualTo("east");
        }

        @Test
        void updateOfAnUnknownContactWayFails() {
            assertThatThrownBy(() -> api.updateContactWay("nope", List.of("lisi"), "s"))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(40058);
        }

        @Test
        void sendWelcomeSendsTextOnly() {
            api.sendWelcome("WELCOME-1", "Hi, I am Zhang San from the East store");

            JsonNode body = stub.calls("externalcontact/send_welcome_msg").get(0).body();
            assertThat(body.path("welcome_code").asText()).isEqualTo("WELCOME-1");
            assertThat(body.path("text").path("content").asText()).isEqualTo("Hi, I am Zhang San from the East store");
            assertThat(body.has("attachments")).isFalse();
        }

        @Test
        void aWelcomeCodeUsedTwiceFailsAtOnceWith41051() {
            api.sendWelcome("WELCOME-1", "first");
            stub.clearCalls();

            assertThatThrownBy(() -> api.sendWelcome("WELCOME-1", "second"))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(WeComApiException.WELCOME_CODE_USED);
            assertThat(stub.calls()).extracting(RecordedCall::errcode).containsExactly(41051);
            assertThat(retries()).isEmpty();
        }

        @Test
        void corpTagsAreGroupNameToTagNameToId() {
            assertThat(api.corpTags()).isEmpty();
            String east = api.addCorpTag("channel", "parcel_card_east");
            String live = api.addCorpTag("channel", "livestream");
            String vip = api.addCorpTag("tier", "vip");

            Map<String, Map<String, String>> tags = api.corpTags();

            assertThat(tags).containsOnlyKeys("channel", "tier");
            assertThat(tags.get("channel")).containsExactly(Map.entry("parcel_card_east", east), Map.entry("livestream", live));
            assertThat(tags.get("tier")).containsExactly(Map.entry("vip", vip));
            assertThat(stub.snapshot().path("tag_groups")).hasSize(2);
        }

        @Test
        void addCorpTagOfAnExistingTagReturnsItsId() {
            String first = api.addCorpTag("channel", "livestream");
            stub.clearCalls();

            String again = api.addCorpTag("channel", "livestream");

            assertThat(again).isEqualTo(first);
            assertThat(stub.calls()).extracting(RecordedCall::api, RecordedCall::errcode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("externalcontact/add_corp_tag", 40071),
                            org.assertj.core.groups.Tuple.tuple("externalcontact/get_corp_tag_list", 0));
        }

        @Test
        void markTagAddsAndRemoves() {
            String a = api.addCorpTag("channel", "parcel_card_east");
            String b = api.addCorpTag("tier", "new");

            api.markTag("zhangsan", "wmEAST00000000000000000001", List.of(a, b), List.of());
            api.markTag("zhangsan", "wmEAST00000000000000000001", List.of(), List.of(b));

            assertThat(stub.snapshot().path("relationship_tags").path("wmEAST00000000000000000001")
                    .path("zhangsan").toString()).isEqualTo("[\"" + a + "\"]");
            JsonNode last = stub.calls("externalcontact/mark_tag").get(1).body();
            assertThat(last.path("remove_tag").toString()).isEqualTo("[\"" + b + "\"]");
            assertThat(last.has("add_tag")).isFalse();
        }

        @Test
        void markTagWithAnUnknownTagFails() {
            assertThatThrownBy(() -> api.markTag("zhangsan", "wm1", List.of("etNOPE"), List.of()))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(40068);
        }

        @Test
        void markTagWithNothingToChangeMakesNoCall() {
            api.markTag("zhangsan", "wm1", List.of(), null);

            assertThat(stub.calls()).isEmpty();
        }
    }

    @Nested
    class RetryPolicy {

        @Test
        void expiredTokenIsRefreshedOnceAndTheCallSucceeds() {
            api.contact("wm1");
            stub.expireTokens();

            api.contact("wm1");

            assertThat(stub.calls()).extracting(RecordedCall::api, RecordedCall::errcode).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("gettoken", 0),
                    org.assertj.core.groups.Tuple.tuple("externalcontact/get", 0),
                    org.assertj.core.groups.Tuple.tuple("externalcontact/get", 42001),
                    org.assertj.core.groups.Tuple.tuple("gettoken", 0),
                    org.assertj.core.groups.Tuple.tuple("externalcontact/get", 0));
            assertThat(retries()).singleElement().satisfies(r -> {
                assertThat(r.path("api").asText()).isEqualTo("externalcontact/get");
                assertThat(r.path("errcode").asInt()).isEqualTo(42001);
            });
        }

        @Test
        void invalidTokenIsRefreshedToo() {
            api.contact("wm1");
            stub.failNext("externalcontact/get", InjectedFailure.errcode(40014, 1));

            api.contact("wm1");

            assertThat(stub.calls("gettoken")).hasSize(2);
        }

        @Test
        void aTokenRejectedAgainAfterTheRefreshFails() {
            stub.failNext("externalcontact/get", InjectedFailure.errcode(42001, 2));

            assertThatThrownBy(() -> api.contact("wm1"))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(42001);
            assertThat(apis()).containsExactly("gettoken", "externalcontact/get", "gettoken", "externalcontact/get");
        }

        @Test
        void rateLimitedThenSuccess() {
            stub.failNext("externalcontact/send_welcome_msg", InjectedFailure.errcode(45009, 1));

            api.sendWelcome("WELCOME-1", "hello");

            assertThat(stub.calls("externalcontact/send_welcome_msg")).extracting(RecordedCall::errcode)
                    .containsExactly(45009, 0);
            JsonNode retry = retries().get(0);
            assertThat(retry.path("event").asText()).isEqualTo("wecom_api_retry");
            assertThat(retry.path("api").asText()).isEqualTo("externalcontact/send_welcome_msg");
            assertThat(retry.path("errcode").asInt()).isEqualTo(45009);
            assertThat(retry.path("attempt").asInt()).isEqualTo(1);
            assertThat(retry.path("backoff_ms").asLong()).isBetween(100L, 200L);
            assertThat(retry.path("budget_ms").asLong()).isEqualTo(BUDGET.toMillis());
        }

        @Test
        void http503TwiceThenSuccess() {
            stub.failNext("externalcontact/add_contact_way", InjectedFailure.httpStatus(503, 2));

            WeComApi.ContactWay way = api.addContactWay(List.of("zhangsan"), "s", null);

            assertThat(way.configId()).isNotBlank();
            assertThat(stub.calls("externalcontact/add_contact_way")).extracting(RecordedCall::httpStatus)
                    .containsExactly(503, 503, 200);
            assertThat(retries()).extracting(r -> r.path("http_status").asInt()).containsExactly(503, 503);
        }

        @Test
        void systemBusyIsRetried() {
            stub.failNext("externalcontact/get_corp_tag_list", InjectedFailure.errcode(-1, 1));

            assertThat(api.corpTags()).isEmpty();
            assertThat(stub.calls("externalcontact/get_corp_tag_list")).extracting(RecordedCall::errcode)
                    .containsExactly(-1, 0);
        }

        @Test
        void aFailingTokenFetchIsRetriedLikeAnyCall() {
            stub.failNext("gettoken", InjectedFailure.httpStatus(502, 1));

            api.contact("wm1");

            assertThat(apis()).containsExactly("gettoken", "gettoken", "externalcontact/get");
        }

        @Test
        void http503ForeverGivesUpWithinTheBudget() {
            // A read that changes nothing: retried (a welcome message is not, see aWelcomeGetsNoSecondAttemptOn503)
            stub.failNext("externalcontact/get", InjectedFailure.httpStatus(503, InjectedFailure.FOREVER));

            long start = System.nanoTime();
            assertThatThrownBy(() -> api.contact("wm1"))
                    .isInstanceOf(WeComApiException.class)
                    .hasMessageContaining("HTTP 503")
                    .hasMessageContaining("call budget spent")
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(-1);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(elapsedMs).isLessThan(BUDGET.toMillis() + MARGIN_MS);
            assertThat(stub.calls("externalcontact/get").size()).isGreaterThanOrEqualTo(4);
            assertThat(logged).anyMatch(r -> r.getMessage().contains("\"event\":\"wecom_api_failed\""));
        }

        @Test
        void aWelcomeGetsNoSecondAttemptOn503() {
            stub.failNext("externalcontact/send_welcome_msg", InjectedFailure.httpStatus(503, 1));

            assertThatThrownBy(() -> api.sendWelcome("WELCOME-1", "hello"))
                    .isInstanceOf(WeComApiException.class).hasMessageContaining("not retried");

            assertThat(stub.calls("externalcontact/send_welcome_msg")).hasSize(1);
        }

        @Test
        void theBudgetIsConfigurable() {
            WeComSettings tight = LOCAL.withApiBaseUrl(stub.baseUrl())
                    .withRetry(LOCAL.retry().withCallBudget(Duration.ofMillis(300)));
            stub.failNext("externalcontact/mark_tag", InjectedFailure.httpStatus(500, InjectedFailure.FOREVER));
            String tag = api.addCorpTag("g", "t");

            try (WxJavaWeComApi tightApi = new WxJavaWeComApi(tight)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> tightApi.markTag("zhangsan", "wm1", List.of(tag), List.of()))
                        .isInstanceOf(WeComApiException.class);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300 + MARGIN_MS);
            }
        }

        @Test
        void aHungAnswerIsCutOffAtTheBudget() {
            stub.failNext("externalcontact/get", InjectedFailure.delay(Duration.ofMillis(BUDGET.toMillis() + 1500), 1));

            long start = System.nanoTime();
            assertThatThrownBy(() -> api.contact("wm1"))
                    .isInstanceOf(WeComApiException.class)
                    .hasMessageContaining("SocketTimeoutException")
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(BUDGET.toMillis() + MARGIN_MS);
        }

        @Test
        void aSlowAnswerInsideTheBudgetIsFine() {
            stub.failNext("externalcontact/get", InjectedFailure.delay(Duration.ofMillis(300), 1));

            assertThat(api.contact("wm1").name()).isEqualTo("Customer 0001");
            assertThat(retries()).isEmpty();
        }

        @Test
        void connectionRefusedIsRetriedUntilTheBudget() throws IOException {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            try (WxJavaWeComApi nowhere = new WxJavaWeComApi(LOCAL.withApiBaseUrl("http://127.0.0.1:" + closedPort))) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> nowhere.contact("wm1"))
                        .isInstanceOf(WeComApiException.class)
                        .hasMessageContaining("HttpHostConnectException")
                        .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(-1);
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertThat(elapsed).isLessThan(BUDGET.toMillis() + MARGIN_MS);
            }
            assertThat(retries()).hasSizeGreaterThanOrEqualTo(3);
        }

        @Test
        void otherErrcodesFailAtOnce() {
            stub.failNext("externalcontact/add_corp_tag", InjectedFailure.errcode(60011, 1));

            assertThatThrownBy(() -> api.addCorpTag("g", "t"))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(60011);
            assertThat(stub.calls("externalcontact/add_corp_tag")).hasSize(1);
        }

        @Test
        void http4xxFailsAtOnce() {
            stub.failNext("externalcontact/get", InjectedFailure.httpStatus(403, 1));

            assertThatThrownBy(() -> api.contact("wm1"))
                    .isInstanceOf(WeComApiException.class)
                    .hasMessageContaining("HTTP 403");
            assertThat(stub.calls("externalcontact/get")).hasSize(1);
        }

        @Test
        void injected41051FailsWithoutRetry() {
            stub.failNext("externalcontact/send_welcome_msg", InjectedFailure.errcode(41051, 1));

            assertThatThrownBy(() -> api.sendWelcome("WELCOME-9", "hello"))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(41051);
            assertThat(stub.calls("externalcontact/send_welcome_msg")).hasSize(1);
        }
    }

    private List<String> apis() {
        return stub.calls().stream().map(RecordedCall::api).toList();
    }

    private List<JsonNode> retries() {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        synchronized (logged) {
            for (LogRecord r : logged) {
                try {
                    JsonNode n = json.readTree(r.getMessage());
                    if (n.path("event").asText().equals("wecom_api_retry")) {
                        out.add(n);
                    }
                } catch (IOException e) {
                    throw new AssertionError("log line is not JSON: " + r.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
