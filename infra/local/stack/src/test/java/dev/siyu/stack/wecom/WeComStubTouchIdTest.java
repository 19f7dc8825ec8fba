package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.port.WeComApi;
import dev.siyu.memory.VirtualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stub records the touch id a call carries (our X-Siyu-Touch-Id header, which WeCom ignores) and what it
 * answered, so the demo's record shows a delivery WeCom accepted twice.
 */
class WeComStubTouchIdTest {
    static final String CORP = "wwsiyu0000demo0001";
    static final String SECRET = "siyu-local-contact-secret";
    static final String MESSAGE = "{\"chat_type\":\"single\",\"sender\":\"amy\",\"external_userid\":[\"wm1\"],"
            + "\"text\":{\"content\":\"hi\"}}";

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

    @Test
    void eachCallIsRecordedWithItsTouchIdAndErrcode() throws Exception {
        StubHttp http = new StubHttp(stub, CORP, SECRET);
        String token = http.token();
        send(token, "new_customer_activation#r1#1");
        send(token, "new_customer_activation#r1#1");
        send(token, null);
        send("not-a-token", "new_customer_activation#r1#2");

        assertThat(stub.calls("externalcontact/add_msg_template"))
                .extracting(RecordedCall::touchId, RecordedCall::errcode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("new_customer_activation#r1#1", 0),
                        org.assertj.core.groups.Tuple.tuple("new_customer_activation#r1#1", 0),
                        org.assertj.core.groups.Tuple.tuple(null, 0),
                        org.assertj.core.groups.Tuple.tuple("new_customer_activation#r1#2", 40014));
        JsonNode listed = http.get("/_calls");
        assertThat(listed.findValuesAsText("touch_id")).containsExactly("new_customer_activation#r1#1",
                "new_customer_activation#r1#1", "new_customer_activation#r1#2");
    }

    private void send(String token, String touchId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stub.baseUrl()
                        + "/cgi-bin/externalcontact/add_msg_template?access_token=" + token))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(MESSAGE));
        if (touchId != null) {
            b.header(WeComApi.TOUCH_ID_HEADER, touchId);
        }
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
