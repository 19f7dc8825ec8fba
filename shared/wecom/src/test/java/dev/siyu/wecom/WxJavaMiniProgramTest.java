package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.MiniProgramRefusal;
import dev.siyu.memory.VirtualClock;
import dev.siyu.stack.miniapp.MiniProgramStub;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WxJava's Mini Program module against the local stub: WeChat's rules, as the member routes meet them. */
class WxJavaMiniProgramTest {
    private static final String APP_ID = "wxsiyu0000demo0001";
    private static final String SECRET = "siyu-local-miniapp-secret";
    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T02:00:00Z"));
    private final MiniProgramStub stub = new MiniProgramStub(APP_ID, SECRET, clock).start(0);
    private final WxJavaMiniProgram api = new WxJavaMiniProgram(APP_ID, SECRET, stub.baseUrl());

    @AfterEach
    void stop() {
        stub.close();
    }

    private static int errcode(Runnable r) {
        try {
            r.run();
        } catch (MiniProgramRefusal e) {
            return e.errcode();
        }
        throw new AssertionError("WeChat accepted it");
    }

    @Test
    void aLoginCodeIsGoodOnceForFiveMinutesAndMapsToStableIds() {
        MiniProgram.Session s = api.session("code-1");

        assertThat(s.openid()).isEqualTo(MiniProgramStub.openidOf("code-1"));
        assertThat(s.unionid()).isEqualTo(MiniProgramStub.unionidOf("code-1"));
        assertThat(errcode(() -> api.session("code-1"))).as("reused").isEqualTo(40163);
        stub.codeIssued("code-2");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(errcode(() -> api.session("code-2"))).as("issued 5 min ago").isEqualTo(40029);
        assertThat(errcode(() -> new WxJavaMiniProgram(APP_ID, "wrong-secret", stub.baseUrl()).session("code-3")))
                .isEqualTo(40125);
    }

    @Test
    void aPhoneCodeGivesItsNumberOnce() {
        stub.phoneCode("ph-1", "+8613812345678");

        assertThat(api.phoneNumber("ph-1")).isEqualTo("+8613812345678");
        assertThat(errcode(() -> api.phoneNumber("ph-1"))).isEqualTo(40029);
        assertThat(api.phoneNumber("ph-unseen")).isEqualTo(MiniProgramStub.phoneOf("ph-unseen"));
    }

    @Test
    void aSubscriptionMessageNeedsALiveOneTimeSubscription() {
        String openid = MiniProgramStub.openidOf("code-9");
        assertThat(errcode(() -> api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("thing1", "Hi"))))
                .isEqualTo(43101);
        stub.subscribed(openid, "TPL-1");

        api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("thing1", "Hi"));

        assertThat(stub.sent()).singleElement().satisfies(m -> assertThat(m.path("touser").asText()).isEqualTo(openid));
        assertThat(errcode(() -> api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("thing1", "Again"))))
                .as("one message per subscription").isEqualTo(43101);
        assertThatThrownBy(() -> api.sendSubscription(openid, "TPL-1", "pages/index", Map.of()))
                .isInstanceOf(MiniProgramRefusal.class);
    }

    @Test
    void twoInstancesKeepWorkingOnTheSameStableToken() {
        String openid = MiniProgramStub.openidOf("code-10");
        WxJavaMiniProgram worker = new WxJavaMiniProgram(APP_ID, SECRET, stub.baseUrl());
        for (int i = 0; i < 3; i++) {
            stub.subscribed(openid, "TPL-1");
        }

        api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("thing1", "From the API"));
        worker.sendSubscription(openid, "TPL-1", "pages/index", Map.of("thing1", "From the worker"));
        clock.advance(MiniProgramStub.OLD_TOKEN_GRACE.plusMinutes(1));
        api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("thing1", "Later"));

        assertThat(stub.sent()).hasSize(3);
    }

    @Test
    void aPlainTokenEndsFiveMinutesAfterANewerFetchAndFetchesAreCappedPerDay() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Supplier<String> fetch = () -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stub.baseUrl()
                                + "/cgi-bin/token?grant_type=client_credential&appid=" + APP_ID + "&secret=" + SECRET))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        String first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fetch.get())
                .path("access_token").asText();
        fetch.get();
        clock.advance(MiniProgramStub.OLD_TOKEN_GRACE.plusSeconds(1));
        String send = stub.baseUrl() + "/cgi-bin/message/subscribe/send?access_token=" + first;
        String answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(send))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"touser\":\"x\",\"template_id\":\"T\","
                        + "\"data\":{\"thing1\":{\"value\":\"a\"}}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(answer).contains("42001");

        for (int i = 2; i < MiniProgramStub.TOKEN_DAILY_QUOTA; i++) {
            fetch.get();
        }
        assertThat(fetch.get()).contains("45009");
    }

    @Test
    void everyKeywordKindIsCheckedAsWeChatChecksIt() {
        String openid = MiniProgramStub.openidOf("code-11");
        stub.subscribed(openid, "TPL-1");

        assertThat(errcode(() -> api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("phrase1", "正在配送中了"))))
                .as("a phrase of 6").isEqualTo(47003);
        assertThat(errcode(() -> api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("name1", "Li 3"))))
                .as("a digit in a name").isEqualTo(47003);
        assertThat(errcode(() -> api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("date1", "soon"))))
                .isEqualTo(47003);
        api.sendSubscription(openid, "TPL-1", "pages/index", Map.of("phrase1", "配送中", "name2", "张三",
                "date3", "2026-06-01", "amount4", "¥128.50"));

        assertThat(stub.sent()).hasSize(1);
    }
}
