package dev.siyu.functions.wecomcallback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.stack.wecom.InjectedFailure;
import dev.siyu.testkit.InjectStack;
import dev.siyu.wecom.CallbackXml;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WeCom API failures during a new contact: retried where WeCom's rules allow, and the event is never lost. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class WeComErrorsTest {
    @InjectStack
    LocalStack stack;
    Callbacks callbacks;
    String customer;

    @BeforeEach
    void fresh() {
        callbacks = new Callbacks(stack.wecomSettings);
        stack.stub.clearFailures();
        stack.stub.clearCalls();
        customer = "wm" + UUID.randomUUID().toString().replace("-", "");
    }

    private JsonNode add() {
        return Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(stack.wecomSettings.corpId(), "zhangsan", customer,
                "parcel_card_east", "W-" + customer, Instant.now())));
    }

    private TimelineEvent recorded() {
        CustomerProfile profile = new CustomerLookup(stack.customers).byExternalUserId("demo-brand", customer).orElseThrow();
        String id = profile.customerId();
        assertThat(profile.tags()).contains("package_insert");
        return stack.customers.timeline("demo-brand", id).stream().filter(e -> e.kind().equals("contact_added"))
                .findFirst().orElseThrow();
    }

    @Test
    void anAlreadyUsedWelcomeCodeIsRecorded() {
        stack.stub.failNext("externalcontact/send_welcome_msg", InjectedFailure.errcode(41051, 1));
        assertThat(add().path("statusCode").asInt()).isEqualTo(200);
        assertThat(recorded().details()).containsEntry("welcome", "code_already_used").containsEntry("welcome_errcode", "41051");
        assertThat(stack.stub.calls("externalcontact/send_welcome_msg")).as("41051 is final: no retry").hasSize(1);
    }

    @Test
    void anExpiredTokenIsRefreshedAndTheCallRetriedOnce() {
        stack.stub.expireTokens();
        assertThat(add().path("statusCode").asInt()).isEqualTo(200);
        assertThat(recorded().details()).containsEntry("welcome", "sent");
        assertThat(stack.stub.calls("gettoken")).hasSize(1);
    }

    @Test
    void theRateLimitIsBackedOffAndRetried() {
        stack.stub.failNext("externalcontact/mark_tag", InjectedFailure.errcode(45009, 1));
        assertThat(add().path("statusCode").asInt()).isEqualTo(200);
        assertThat(recorded().details()).containsEntry("tags_marked_in_wecom", "true");
        assertThat(stack.stub.calls("externalcontact/mark_tag")).hasSize(2);
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        stack.stub.failNext("externalcontact/get", InjectedFailure.httpStatus(503, 2));
        assertThat(add().path("statusCode").asInt()).isEqualTo(200);
        assertThat(recorded().details()).doesNotContainKey("contact_detail");
        assertThat(stack.stub.calls("externalcontact/get")).hasSize(3);
    }

    @Test
    void aWeComOutageStillAnswersInTimeAndKeepsTheEvent() {
        stack.stub.failNext("externalcontact/send_welcome_msg", InjectedFailure.httpStatus(503, InjectedFailure.FOREVER));
        stack.stub.failNext("externalcontact/mark_tag", InjectedFailure.httpStatus(503, InjectedFailure.FOREVER));
        long start = System.nanoTime();
        JsonNode reply = add();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(reply.path("statusCode").asInt()).isEqualTo(200);
        assertThat(millis).as("WeCom waits 5 s").isLessThan(5000);
        assertThat(recorded().details()).containsEntry("welcome", "failed").containsEntry("tags_marked_in_wecom", "false");
    }
}
