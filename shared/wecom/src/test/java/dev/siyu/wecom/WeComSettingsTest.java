package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional app and Mini Program settings: set, defaulted for the local stub, required against WeCom. */
class WeComSettingsTest {

    static final Map<String, String> BASE = LocalEnv.values();

    @Test
    void agentIdAndMiniProgramAppIdAreReadFromTheEnvironment() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("SIYU_WECOM_AGENT_ID", " 1000017 ");
        env.put("SIYU_MINIAPP_APP_ID", "wx1234567890abcdef");

        WeComSettings s = WeComSettings.fromEnv(env);

        assertThat(s.notifyAgentId()).isEqualTo(1000017);
        assertThat(s.miniProgramAppIdOrLocal()).isEqualTo("wx1234567890abcdef");
        assertThat(s.withApiBaseUrl("http://127.0.0.1:1").miniProgramAppId()).contains("wx1234567890abcdef");
        assertThat(s.toString()).contains("miniProgramAppId=wx1234567890abcdef");
    }

    @Test
    void unsetTheyDefaultForTheLocalStub() {
        WeComSettings local = WeComSettings.fromEnv(BASE).withApiBaseUrl("http://127.0.0.1:40123");

        assertThat(local.agentId()).isEmpty();
        assertThat(local.notifyAgentId()).isEqualTo(WeComSettings.LOCAL_AGENT_ID).isEqualTo(1000002);
        assertThat(local.miniProgramAppIdOrLocal()).isEqualTo(WeComSettings.LOCAL_MINIAPP_APP_ID);
    }

    @Test
    void unsetAgainstWeComItselfTheyAreRequired() {
        WeComSettings real = WeComSettings.fromEnv(BASE);

        assertThatThrownBy(real::notifyAgentId).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SIYU_WECOM_AGENT_ID");
        assertThatThrownBy(real::miniProgramAppIdOrLocal).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SIYU_MINIAPP_APP_ID");
        assertThatThrownBy(() -> real.withApiBaseUrl(WeComSettings.DEFAULT_API_BASE_URL + "/").notifyAgentId())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSevenArgumentConstructorStillWorks() {
        WeComSettings s = WeComSettings.fromEnv(BASE);

        WeComSettings old = new WeComSettings(s.corpId(), s.agentId(), s.secret(), s.token(), s.aesKey(),
                s.apiBaseUrl(), s.retry());

        assertThat(old.miniProgramAppId()).isEmpty();
        assertThat(old.contactsSecret()).isEmpty();
        assertThat(old).isEqualTo(s.withContactsSecret(null));
    }

    @Test
    void theContactsSecretIsReadAndHasATokenKeyOfItsOwn() {
        WeComSettings s = WeComSettings.fromEnv(BASE);

        assertThat(s.contactsSecret()).hasValue(BASE.get("SIYU_WECOM_CONTACTS_SECRET"));
        assertThat(s.contactsAccessTokenKey()).startsWith(s.corpId() + "#").isNotEqualTo(s.accessTokenKey());
        assertThat(s.toString()).doesNotContain(BASE.get("SIYU_WECOM_CONTACTS_SECRET"));
    }
}
