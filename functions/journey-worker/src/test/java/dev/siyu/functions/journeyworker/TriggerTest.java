package dev.siyu.functions.journeyworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.timer.DueStep;
import dev.siyu.functions.journeyworker.SqsEvents.Record;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Triggers start journeys once; messages the worker cannot act on go the failure path to the DLQ. */
@QuarkusTest
@QuarkusTestResource(WorkerStackResource.class)
class TriggerTest {
    @InjectStack
    WorkerStack stack;

    private String trigger(String tenant, String customerId, String kind, Instant at) {
        return """
                {"tenant":"%s","customerId":"%s","kind":"%s","at":"%s","details":{"staff":"zhangsan","state":"parcel_card_east"}}"""
                .formatted(tenant, customerId, kind, at);
    }

    @Test
    void contactAddedStartsNewCustomerActivationAndQueuesItsFirstStep() {
        // GIVEN a customer the callback has just recorded
        CustomerProfile customer = stack.newCustomer();
        Instant at = stack.clock.instant();

        // WHEN its contact_added trigger arrives, twice (SQS delivers at least once)
        Record trigger = Record.of(trigger(stack.tenant, customer.customerId(), "contact_added", at));
        assertThat(SqsEvents.failures(trigger)).isEmpty();
        assertThat(SqsEvents.failures(trigger)).isEmpty();

        // THEN one new_customer_activation run started, on the stored config version
        List<JourneyRun> runs = stack.runs.runs(stack.tenant, customer.customerId());
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.journey()).isEqualTo("new_customer_activation");
            assertThat(r.runId()).isEqualTo("contact_added-" + at.toEpochMilli());
            assertThat(r.version()).isEqualTo(1);
            assertThat(r.step()).isZero();
            assertThat(r.active()).isTrue();
        });
        assertThat(stack.timeline(customer, "journey_started")).hasSize(1);
        // AND its first step (delay 0min) is on the journey queue, once
        List<DueStep> queued = stack.queuedSteps(customer.customerId(), Duration.ofSeconds(5));
        assertThat(queued).singleElement().satisfies(s -> {
            assertThat(s.journey()).isEqualTo("new_customer_activation");
            assertThat(s.runId()).isEqualTo(runs.get(0).runId());
            assertThat(s.step()).isZero();
            assertThat(s.payload()).containsEntry("version", "1");
        });
        // AND nothing reached the customer yet: that is the step's job
        assertThat(stack.messagesTo(customer)).isEmpty();
    }

    @Test
    void aTriggerForAnUnknownCustomerStartsNothingAndIsNotRetried() {
        String nobody = "wx-wm" + UUID.randomUUID().toString().replace("-", "");
        assertThat(SqsEvents.failures(Record.of(trigger(stack.tenant, nobody, "contact_added", stack.clock.instant()))))
                .isEmpty();
        assertThat(stack.runs.runs(stack.tenant, nobody)).isEmpty();
    }

    @Test
    void unreadableAndForeignMessagesAreReportedAndTheRestOfTheBatchSucceeds() {
        CustomerProfile customer = stack.newCustomer();
        Record good = Record.of(trigger(stack.tenant, customer.customerId(), "contact_added", stack.clock.instant()));
        Record notJson = Record.of("{\"tenant\": \"demo-brand\", \"customerId\": truncated");
        Record empty = Record.of("");
        Record neither = Record.of("{\"hello\":\"world\"}");
        Record noTime = Record.of("{\"tenant\":\"" + stack.tenant + "\",\"customerId\":\"x\",\"kind\":\"purchase\"}");
        Record badStep = Record.of("{\"tenant\":\"" + stack.tenant + "\",\"customerId\":\"x\",\"journey\":\"j\","
                + "\"runId\":\"r\",\"step\":-1,\"dueAt\":\"2026-11-24T02:00:00Z\"}");
        Record otherTenant = Record.of(trigger("another-brand", customer.customerId(), "contact_added", stack.clock.instant()));

        List<String> failed = SqsEvents.failures(good, notJson, empty, neither, noTime, badStep, otherTenant);

        assertThat(failed).containsExactlyInAnyOrder(notJson.messageId(), empty.messageId(), neither.messageId(),
                noTime.messageId(), badStep.messageId(), otherTenant.messageId());
        assertThat(stack.runs.runs(stack.tenant, customer.customerId())).hasSize(1);
    }

    @Test
    void anEmptyBatchIsAnsweredWithNoFailures() {
        assertThat(SqsEvents.failures(SqsEvents.event(List.of()))).isEmpty();
    }
}
