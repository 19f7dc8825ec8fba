package dev.siyu.functions.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.testkit.InjectStack;
import dev.siyu.testkit.MockLambda;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator actions, run by their events/ samples as an operator (or ./siyu) would invoke the scheduler. */
@QuarkusTest
@QuarkusTestResource(SchedulerStackResource.class)
class OperatorActionsTest {
    @InjectStack
    SchedulerStack stack;

    private List<RecordedCall> calls(String api, String containing) {
        return stack.services.stub().calls(api).stream().filter(c -> c.errcode() == 0)
                .filter(c -> c.body().toString().contains(containing)).toList();
    }

    private Activity consenting(String stage) {
        return Activity.NONE.consentGranted(stack.clock.instant().minus(Duration.ofDays(5))).withStage(stage);
    }

    @Test
    void massSendReachesTheSegmentOnly() {
        // GIVEN the sample's segment (high_intent, growth or mature): one customer in it, one with the tag at the
        // wrong stage, one at the right stage without the tag
        CustomerProfile in = stack.customer("zhangsan", 10, consenting("growth"), "high_intent");
        CustomerProfile wrongStage = stack.customer("zhangsan", 10, consenting("new"), "high_intent");
        CustomerProfile untagged = stack.customer("zhangsan", 10, consenting("mature"));

        // WHEN the operator sends events/scheduler-mass_send.json
        JsonNode summary = Invoke.summary(stack.services.event("scheduler-mass_send.json"));

        // THEN the customer in the segment is in a message task for their staff member, the others in none
        assertThat(summary.path("job").asText()).isEqualTo("mass_send");
        assertThat(summary.path("result").path("campaign").asText()).isEqualTo("double12_preview");
        assertThat(summary.path("result").path("sent").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(calls("externalcontact/add_msg_template", in.externalUserId())).hasSize(1)
                .allSatisfy(c -> assertThat(c.body().path("sender").asText()).isEqualTo("zhangsan"));
        assertThat(calls("externalcontact/add_msg_template", wrongStage.externalUserId())).isEmpty();
        assertThat(calls("externalcontact/add_msg_template", untagged.externalUserId())).isEmpty();
        assertThat(stack.timeline(in, "mass_message_sent")).hasSize(1);
        assertThat(stack.customers.timeline(stack.tenant, wrongStage.customerId())).extracting(TimelineEvent::kind)
                .containsExactly("contact_added");

        // AND sent again (the scheduler's retry), nobody gets it twice
        Invoke.summary(stack.services.event("scheduler-mass_send.json"));
        assertThat(calls("externalcontact/add_msg_template", in.externalUserId())).hasSize(1);
    }

    @Test
    void aCampaignBeingSentByAnotherRunIsNotSentTwiceAtOnce() {
        // GIVEN another run holds the campaign's lease
        CustomerProfile in = stack.customer("lisi", 10, consenting("growth"), "high_intent");
        Instant now = stack.clock.instant();
        String other = CustomerStore.newToken();
        DedupKey lease = new DedupKey("mass#lease_check");
        assertThat(stack.customers.claimLease(stack.tenant, lease, other, now, now.plusSeconds(300)))
                .isEqualTo(CustomerStore.Claim.WON);
        String event = """
                {"job": "mass_send", "input": {"campaign": "lease_check", "text": "hello", "content": "value",
                 "segment": {"tags": ["high_intent"]}}}""";

        // WHEN this run starts, it fails (for the scheduler to retry) and sends nothing
        MockLambda.Reply reply = Invoke.LAMBDA.invoke(event);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body().path("errorMessage").asText()).contains("being sent by another run");
        assertThat(calls("externalcontact/add_msg_template", in.externalUserId())).isEmpty();

        // AND once the other run let go, the retry sends it
        stack.customers.release(stack.tenant, lease, other);
        assertThat(Invoke.summary(event).path("result").path("sent").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(calls("externalcontact/add_msg_template", in.externalUserId())).hasSize(1);
    }

    @Test
    void transferHandsTheNamedCustomersToTheColleague() {
        // GIVEN zhangsan's two customers the sample names
        CustomerProfile first = stack.customerWithId("wmQ6WcDAAAx3Jx0D3Kr0PzVv9uT3nGyA", "zhangsan", 30, null);
        CustomerProfile second = stack.customerWithId("wmQ6WcDAAAk9sY2m3Dq1LwR7eN5bVjHc", "zhangsan", 30, null);

        // WHEN the operator sends events/scheduler-transfer_customers.json
        JsonNode summary = Invoke.summary(stack.services.event("scheduler-transfer_customers.json"));

        // THEN WeCom was asked for an on-the-job transfer of both to lisi, and each timeline says so
        assertThat(summary.path("result").path("requested").asInt()).isEqualTo(2);
        List<RecordedCall> transfers = stack.services.stub().calls("externalcontact/transfer_customer");
        assertThat(transfers).anySatisfy(c -> {
            assertThat(c.body().path("handover_userid").asText()).isEqualTo("zhangsan");
            assertThat(c.body().path("takeover_userid").asText()).isEqualTo("lisi");
            assertThat(c.body().path("external_userid").toString()).contains(first.externalUserId(),
                    second.externalUserId());
        });
        assertThat(stack.timeline(first, "transfer_requested")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("takeover", "lisi"));
        assertThat(stack.timeline(second, "transfer_requested")).hasSize(1);
    }

    @Test
    void aTransferOfMoreThanAHundredIsRefused() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append("wm").append(i).append('"');
        }
        MockLambda.Reply reply = Invoke.LAMBDA.invoke("{\"job\": \"transfer_customers\", \"input\": {\"handover\": "
                + "\"zhangsan\", \"takeover\": \"lisi\", \"external_userids\": [" + ids + "]}}");
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body().path("errorMessage").asText()).contains("1 to 100 customers, not 101");
    }
}
