package dev.siyu.functions.journeyworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.timer.DueStep;
import dev.siyu.functions.journeyworker.SqsEvents.Record;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A due step reaches the customer exactly once however often SQS delivers it, and a WeCom failure
 * sends its record back for redelivery without losing or doubling the step.
 */
@QuarkusTest
@QuarkusTestResource(WorkerStackResource.class)
class StepDeliveryTest {
    static final String WELCOME = "Welcome aboard!";

    @InjectStack
    WorkerStack stack;

    @BeforeEach
    void freshStub() {
        stack.services.stub().clearFailures();
    }

    /** GIVEN a new customer whose activation run has started and whose first step is due now. */
    private DueStep firstStepOf(CustomerProfile customer) {
        Instant at = stack.clock.instant();
        String trigger = """
                {"tenant":"%s","customerId":"%s","kind":"contact_added","at":"%s","details":{"staff":"zhangsan"}}"""
                .formatted(stack.tenant, customer.customerId(), at);
        assertThat(SqsEvents.failures(Record.of(trigger))).isEmpty();
        List<DueStep> queued = stack.queuedSteps(customer.customerId(), Duration.ofSeconds(5));
        assertThat(queued).extracting(DueStep::journey, DueStep::step).containsExactly(
                org.assertj.core.groups.Tuple.tuple("new_customer_activation", 0));
        return queued.get(0);
    }

    /** The welcome waits on the advisor's staff desk, once (it is their own 1-on-1 message, not an add_msg_template). */
    private void assertSentOnce(CustomerProfile customer) {
        assertThat(stack.deskTasks(customer)).as("desk tasks for the customer").hasSize(1);
        assertThat(stack.deskTasks(customer).get(0).text()).startsWith(WELCOME);
        assertThat(stack.messagesTo(customer)).as("add_msg_template calls for the customer").isEmpty();
        assertThat(stack.timeline(customer, "desk_task_created")).as("desk_task_created on the timeline").hasSize(1);
        JourneyRun run = stack.runs.runs(stack.tenant, customer.customerId()).get(0);
        assertThat(run.step()).as("the run moved past step 0 once").isEqualTo(1);
    }

    @Test
    void theSameStepDeliveredFiveTimesActsOnce() {
        CustomerProfile customer = stack.newCustomer();
        String body = stack.stepJson(firstStepOf(customer));

        List<List<String>> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failures.add(SqsEvents.failures(Record.of(body)));
        }

        assertThat(failures).allSatisfy(f -> assertThat(f).isEmpty());
        assertSentOnce(customer);
        // The 30-minute step after it waits as a timer, not on the queue.
        assertThat(stack.queuedSteps(customer.customerId(), Duration.ZERO)).isEmpty();
    }

    @Test
    void fiveCopiesInOneBatchHandledConcurrentlyActOnce() {
        CustomerProfile customer = stack.newCustomer();
        String body = stack.stepJson(firstStepOf(customer));
        Record[] copies = new Record[5];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = Record.of(body);
        }

        // The copies that found the step leased by the one acting are handed back, not acknowledged
        List<String> busy = SqsEvents.failures(copies);
        assertThat(busy).hasSizeLessThan(copies.length);
        Record[] back = java.util.Arrays.stream(copies).filter(c -> busy.contains(c.messageId())).toArray(Record[]::new);
        if (back.length > 0) {
            // WHEN SQS redelivers them after the visibility timeout, they find the run moved on
            assertThat(SqsEvents.failures(back)).isEmpty();
        }

        assertSentOnce(customer);
    }

    @Test
    void aWeComFailureIsReportedAndTheRedeliverySendsOnce() {
        CustomerProfile customer = stack.newCustomer();
        Record step = Record.of(stack.stepJson(firstStepOf(customer)));
        CustomerProfile other = stack.newCustomer();
        Record trigger = Record.of("""
                {"tenant":"%s","customerId":"%s","kind":"contact_added","at":"%s","details":{}}"""
                .formatted(stack.tenant, other.customerId(), stack.clock.instant()));
        // 60020: WeCom refuses the caller's IP, a final error the adapter does not retry. Injected over
        // the stub's HTTP control API, as an operator would against ./siyu local.
        failNextOverHttp("{\"api\": \"message/send\", \"errcode\": 60020, \"times\": 1}");

        // WHEN a batch with the step and another customer's trigger meets the failure
        List<String> failed = SqsEvents.failures(step, trigger);

        // THEN only the step's record is reported, nothing was recorded as sent, and the step was given back
        assertThat(failed).containsExactly(step.messageId());
        assertThat(stack.runs.runs(stack.tenant, other.customerId())).hasSize(1);
        assertThat(stack.timeline(customer, "desk_task_created")).isEmpty();
        assertThat(stack.runs.runs(stack.tenant, customer.customerId()).get(0).step()).isZero();

        // WHEN SQS redelivers it after the visibility timeout, and once more for good measure
        assertThat(SqsEvents.failures(step)).isEmpty();
        assertThat(SqsEvents.failures(step)).isEmpty();

        // THEN the message is on the desk once, and its staff notice went out after the one refused attempt
        assertSentOnce(customer);
        assertThat(stack.services.stub().calls("message/send").stream()
                .filter(c -> c.errcode() == 60020)).hasSize(1);
    }

    private void failNextOverHttp(String failure) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(stack.services.stub().baseUrl() + "/_fail")).POST(HttpRequest.BodyPublishers.ofString(failure))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStepForARunThatMovedOnIsADuplicateNotAFailure() {
        CustomerProfile customer = stack.newCustomer();
        DueStep first = firstStepOf(customer);
        assertThat(SqsEvents.failures(Record.of(stack.stepJson(first)))).isEmpty();
        DueStep stale = new DueStep(first.tenant(), first.customerId(), first.journey(), first.runId(), 0,
                first.dueAt(), Map.of("version", "1"));
        DueStep unknownRun = new DueStep(first.tenant(), first.customerId(), first.journey(), "no-such-run", 0,
                first.dueAt(), Map.of());

        assertThat(SqsEvents.failures(Record.of(stack.stepJson(stale)), Record.of(stack.stepJson(unknownRun)))).isEmpty();
        assertSentOnce(customer);
    }
}
