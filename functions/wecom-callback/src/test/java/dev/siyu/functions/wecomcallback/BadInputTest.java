package dev.siyu.functions.wecomcallback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.testkit.InjectStack;
import dev.siyu.wecom.CallbackEncryptor;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad request gets a clear status and writes nothing: no item in the table, no WeCom call. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class BadInputTest {
    @InjectStack
    LocalStack stack;
    CallbackEncryptor encryptor;
    long itemsBefore;

    @BeforeEach
    void snapshot() {
        encryptor = new CallbackEncryptor(stack.wecomSettings);
        stack.stub.clearCalls();
        itemsBefore = stack.itemCount();
    }

    private String validXml() {
        return CallbackXml.contactAdded(stack.wecomSettings.corpId(), "zhangsan", "wmBAD" + System.nanoTime(),
                "parcel_card_east", "W-bad", Instant.now());
    }

    private void assertRejected(JsonNode event, int status, String reasonFragment) {
        JsonNode reply = Callbacks.invoke(event);
        assertThat(reply.path("statusCode").asInt()).isEqualTo(status);
        assertThat(reply.path("body").asText()).containsIgnoringCase(reasonFragment);
        assertThat(stack.itemCount()).as("items in the table").isEqualTo(itemsBefore);
        assertThat(stack.stub.calls()).as("WeCom calls").isEmpty();
    }

    @Test
    void aWrongSignatureIs401() {
        EncryptedCallback c = encryptor.encrypt(validXml(), now(), "42");
        Map<String, String> query = new HashMap<>(c.query());
        query.put("msg_signature", "0".repeat(40));
        assertRejected(Callbacks.event("POST", query, c.body()), 401, "signature");
    }

    @Test
    void aTamperedCiphertextIs400EvenWhenSignedWithTheToken() {
        EncryptedCallback c = encryptor.encrypt(validXml(), now(), "43");
        byte[] bytes = Base64.getDecoder().decode(c.encrypt());
        bytes[bytes.length - 1] ^= 0x5a;  // breaks the PKCS#7 padding of the last block
        String tampered = Base64.getEncoder().encodeToString(bytes);
        String body = c.body().replace(c.encrypt(), tampered);
        Map<String, String> query = new HashMap<>(c.query());
        query.put("msg_signature", encryptor.sign(c.timestamp(), c.nonce(), tampered));
        assertRejected(Callbacks.event("POST", query, body), 400, "");
    }

    @Test
    void anotherCorpsCallbackIs400() {
        String xml = CallbackXml.contactAdded("wwsomeoneelse000001", "zhangsan", "wmX", "parcel_card_east", "W", Instant.now());
        // Same token and key (leaked, say), but the corp id sealed inside the ciphertext is not ours.
        EncryptedCallback c = new CallbackEncryptor(stack.wecomSettings.withCorpId("wwsomeoneelse000001"))
                .encrypt(xml, now(), "44");
        assertRejected(Callbacks.event("POST", c.query(), c.body()), 400, "corp");
    }

    @Test
    void malformedXmlIs400() {
        EncryptedCallback c = encryptor.encrypt("<xml><ToUserName>" + stack.wecomSettings.corpId()
                + "</ToUserName><Event>change_external_contact", now(), "45");
        assertRejected(Callbacks.event("POST", c.query(), c.body()), 400, "xml");
        assertRejected(Callbacks.event("POST", Map.of("msg_signature", "a", "timestamp", "1", "nonce", "2"), "not xml at all"), 400, "");
    }

    @Test
    void missingFieldsAre400() {
        String xml = validXml().replaceAll("<ExternalUserID>.*?</ExternalUserID>", "");
        EncryptedCallback c = encryptor.encrypt(xml, now(), "46");
        assertRejected(Callbacks.event("POST", c.query(), c.body()), 400, "ExternalUserID");
        EncryptedCallback ok = encryptor.encrypt(validXml(), now(), "47");
        assertRejected(Callbacks.event("POST", Map.of("timestamp", "1700000000", "nonce", "47"), ok.body()), 400, "msg_signature");
    }

    @Test
    void aBodyOver64KilobytesIs413BeforeAnyParse() {
        ObjectNode event = Callbacks.event("POST", Map.of("msg_signature", "a", "timestamp", "1", "nonce", "2"),
                "<xml>" + "x".repeat(64 * 1024) + "</xml>");
        assertRejected(event, 413, "limit");
    }

    @Test
    void anUnknownEventTypeIsRecordedAndAnsweredSuccess() {
        String xml = CallbackXml.event(stack.wecomSettings.corpId(), "sys", "change_external_future", "something_new",
                Map.of(), Instant.now());
        JsonNode reply = Callbacks.invoke(new Callbacks(stack.wecomSettings).post(xml));
        assertThat(reply.path("statusCode").asInt()).isEqualTo(200);
        assertThat(reply.path("body").asText()).isEqualTo("success");
        // The dedup claim and one entry in the tenant's UNHANDLED log, nothing else.
        assertThat(stack.itemCount()).isEqualTo(itemsBefore + 2);
    }

    /** Now, as WeCom signs it: callbacks are judged fresh against the function's clock. */
    private static String now() {
        return Long.toString(System.currentTimeMillis() / 1000);
    }

    @Test
    void aCorrectlySignedCallbackFromAnHourAgoIsRefusedAsAReplay() {
        EncryptedCallback c = encryptor.encrypt(validXml(), Long.toString(System.currentTimeMillis() / 1000 - 3600), "48");
        assertRejected(Callbacks.event("POST", c.query(), c.body()), 400, "replay refused");
    }
}
