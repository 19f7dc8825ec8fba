package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.memory.VirtualClock;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.WeComStub;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The staff sidebar's two WeCom calls through WxJava (auth/getuserinfo, ticket/get) against the stub's rules. */
class WxJavaSidebarCallsTest {
    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-03-02T02:00:00Z"));
    private WeComStub stub;
    private WxJavaWeComApi api;

    @BeforeEach
    void start() {
        WeComSettings local = LocalEnv.settings();
        stub = new WeComStub(local.corpId(), local.secret(), clock).start(0);
        api = new WxJavaWeComApi(local.withApiBaseUrl(stub.baseUrl()));
    }

    @AfterEach
    void stop() {
        api.close();
        stub.close();
    }

    @Test
    void anOAuthCodeNamesTheStaffMemberOnceThen40029() {
        String code = stub.oauthCode("zhangsan");

        assertThat(api.oauthIdentity(code)).isEqualTo(new WeComApi.OAuthIdentity("zhangsan", null));
        WeComApiException again = catchThrowableOfType(WeComApiException.class, () -> api.oauthIdentity(code));
        assertThat(again.errcode()).isEqualTo(40029);
        assertThat(stub.calls("auth/getuserinfo")).extracting(RecordedCall::errcode).containsExactly(0, 40029);
    }

    @Test
    void aCodeOlderThanFiveMinutesIsRefused() {
        String code = stub.oauthCode("zhangsan");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(catchThrowableOfType(WeComApiException.class, () -> api.oauthIdentity(code)).errcode())
                .isEqualTo(40029);
    }

    @Test
    void theAgentTicketIsFetchedOnceAndKeptForItsLifetime() {
        String first = api.agentJsapiTicket();
        String second = api.agentJsapiTicket();

        assertThat(second).isEqualTo(first).startsWith("agent-ticket-");
        assertThat(stub.calls("ticket/get")).hasSize(1)
                .allSatisfy(c -> assertThat(c.query()).containsEntry("type", "agent_config"));
    }

    @Test
    void pastOneHundredFetchesAnHourTheStubAnswers45009() {
        for (int i = 0; i < 100; i++) {
            stub.staffPage().agentTicket("agent_config", clock.instant());
        }

        WeComApiException refused = catchThrowableOfType(WeComApiException.class,
                () -> new WxJavaWeComApi(LocalEnv.settings().withApiBaseUrl(stub.baseUrl())
                        .withRetry(LocalEnv.settings().retry().withCallBudget(Duration.ofMillis(300)))).agentJsapiTicket());
        assertThat(refused.errcode()).isEqualTo(45009);
    }
}
