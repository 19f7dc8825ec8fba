package dev.siyu.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.port.WeComApiException;
import org.junit.jupiter.api.Test;

/** The in-memory WeCom answers as WeCom (and the stack's stub) does where exactly-once depends on it. */
class RecordingWeComApiTest {
    @Test
    void aWelcomeCodeTakesOneWelcomeARetriedCallbacksSecondIsRefusedWith41051() {
        RecordingWeComApi wecom = new RecordingWeComApi();
        wecom.touching("welcome#add|amy|wm1").sendWelcome("CODE-1", "Hello");

        assertThatThrownBy(() -> wecom.touching("welcome#add|amy|wm1").sendWelcome("CODE-1", "Hello"))
                .isInstanceOfSatisfying(WeComApiException.class,
                        e -> assertThat(e.errcode()).isEqualTo(WeComApiException.WELCOME_CODE_USED));
        assertThat(wecom.drain()).extracting(CallLog.Call::errcode).containsExactly(0, WeComApiException.WELCOME_CODE_USED);
    }
}
