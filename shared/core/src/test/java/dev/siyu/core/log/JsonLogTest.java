package dev.siyu.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLogTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aLineIsOneJsonObjectWithMsgFirstAndTheFieldsTyped() throws Exception {
        String line = JsonLog.line("WeCom call retried", "event", "wecom_api_retry", "attempt", 2, "ok", false,
                "msgid", null);

        JsonNode n = json.readTree(line);
        assertThat(n.fieldNames()).toIterable().containsExactly("msg", "event", "attempt", "ok", "msgid");
        assertThat(n.path("msg").asText()).isEqualTo("WeCom call retried");
        assertThat(n.path("attempt").isInt()).isTrue();
        assertThat(n.path("ok").isBoolean()).isTrue();
        assertThat(n.path("msgid").isNull()).isTrue();
    }

    @Test
    void quotesNewlinesAndControlCharactersStayInsideTheOneLine() throws Exception {
        String reason = "errcode 45009 (\"rate\\limit\")\nnext\tline\u0001";

        String line = JsonLog.line("failed", "reason", reason);

        assertThat(line).doesNotContain("\n");
        assertThat(json.readTree(line).path("reason").asText()).isEqualTo(reason);
    }
}
