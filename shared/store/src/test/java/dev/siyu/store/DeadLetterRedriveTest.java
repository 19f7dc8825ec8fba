package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.timer.DueStep;
import dev.siyu.stack.aws.EmbeddedSqs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Dead letters on ElasticMQ: listed without being consumed, sent back to their queue, never lost on a failed send. */
class DeadLetterRedriveTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private EmbeddedSqs elasticMq;
    private SqsClient sqs;
    private String queueUrl;
    private String dlqUrl;

    @BeforeEach
    void start() {
        elasticMq = EmbeddedSqs.start(0);
        sqs = new AwsClients(StoreSettings.local("unused", "unused", elasticMq.endpoint(), elasticMq.endpoint())).sqs();
        queueUrl = SqsQueues.createIfMissing(sqs, "journeys");
        dlqUrl = SqsDeadLetterQueue.dlqUrlOf(queueUrl);
    }

    @AfterEach
    void stop() {
        sqs.close();
        elasticMq.close();
    }

    private DueStep step(int i) {
        return new DueStep("acme", "c-" + i, "welcome", "run-" + i, 2, Instant.parse("2026-03-01T01:00:00Z"), Map.of());
    }

    /** A step the worker failed on five times: received and not deleted until the queue parks it in the DLQ. */
    private void failFiveTimes(String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        for (int i = 0; i < SqsQueues.MAX_RECEIVE_COUNT; i++) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).visibilityTimeout(0).waitTimeSeconds(2)).messages();
            assertThat(got).as("receive %d", i + 1).hasSize(1);
        }
        // the next receive moves it to the DLQ instead of returning it
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
    }

    private List<String> drain(String url) {
        List<String> bodies = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            empty = got.isEmpty() ? empty + 1 : 0;
            for (Message m : got) {
                bodies.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        return bodies;
    }

    @Test
    void aStepThatFailedFiveTimesIsListedWithWhatItIsAboutAndStaysParked() {
        String body = new DueStepJson(mapper).write(step(1));
        failFiveTimes(body);
        DeadLetterRedrive redrive = new DeadLetterRedrive(new SqsDeadLetterQueue(sqs, dlqUrl));

        List<DeadLetter> listed = redrive.list(100);

        assertThat(listed).hasSize(1);
        DeadLetter l = listed.get(0);
        assertThat(l.receives()).isGreaterThanOrEqualTo(SqsQueues.MAX_RECEIVE_COUNT);
        assertThat(l.body()).isEqualTo(body);
        assertThat(new DeadLetterSummary(mapper).line(l.body()))
                .isEqualTo("tenant=acme customer=c-1 journey=welcome run=run-1 step=2");
        // listing does not consume: it is still there, and the same message
        assertThat(redrive.list(100)).extracting(DeadLetter::id).containsExactly(l.id());
    }

    @Test
    void redriveSendsEveryDeadLetterBackToItsQueueWithItsKindAndEmptiesTheDlq() {
        JourneyTrigger trigger = new JourneyTrigger("acme", "c-9", "contact_added", Instant.parse("2026-03-01T01:00:00Z"),
                Map.of("staff", "zhang.wei"));
        new SqsJourneyQueue(sqs, dlqUrl, mapper).enqueue(trigger);
        for (int i = 0; i < 23; i++) {
            String body = new DueStepJson(mapper).write(step(i));
            sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody(body));
        }
        DeadLetterRedrive redrive = new DeadLetterRedrive(new SqsDeadLetterQueue(sqs, dlqUrl));

        DeadLetterRedrive.Result r = redrive.redrive(SqsDeadLetterQueue.source(sqs, queueUrl), 1000);

        assertThat(r.sent()).hasSize(24);
        assertThat(r.failed()).isEmpty();
        assertThat(redrive.list(100)).isEmpty();
        List<Message> back = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            empty = got.isEmpty() ? empty + 1 : 0;
            back.addAll(got);
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        }
        assertThat(back).hasSize(24);
        assertThat(back).filteredOn(m -> m.messageAttributes().containsKey(SqsJourneyQueue.KIND_ATTRIBUTE))
                .singleElement().satisfies(m -> assertThat(new JourneyTriggerJson(mapper).read(m.body())).isEqualTo(trigger));
    }

    @Test
    void aFailedSendLeavesTheMessageInTheDlqAndMaxBoundsTheRun() {
        for (int i = 0; i < 5; i++) {
            String body = new DueStepJson(mapper).write(step(i));
            sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody(body));
        }
        DeadLetterRedrive redrive = new DeadLetterRedrive(new SqsDeadLetterQueue(sqs, dlqUrl));
        DeadLetterQueue.Source toQueue = SqsDeadLetterQueue.source(sqs, queueUrl);
        AtomicInteger calls = new AtomicInteger();
        DeadLetterQueue.Source secondFails = l -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("throttled");
            }
            toQueue.send(l);
        };

        DeadLetterRedrive.Result first = redrive.redrive(secondFails, 3);

        assertThat(first.failed()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("throttled"));
        int movedFirst = first.sent().size();
        assertThat(movedFirst).isBetween(1, 2);
        // nothing lost: what was not sent is still parked, what was sent is in the queue
        assertThat(redrive.list(100)).hasSize(5 - movedFirst);
        assertThat(drain(queueUrl)).hasSize(movedFirst);

        DeadLetterRedrive.Result second = redrive.redrive(toQueue, 2);
        assertThat(second.sent()).hasSize(2);
        assertThat(redrive.list(100)).hasSize(3 - movedFirst);
    }

    @Test
    void aScheduledJobsDeadLetterNamesTheJob() {
        DeadLetterSummary summary = new DeadLetterSummary(mapper);
        assertThat(summary.line("{\"job\": \"daily-rules\"}")).isEqualTo("job=daily-rules");
        assertThat(summary.line("{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"RetriesExhausted\"},"
                + "\"requestPayload\":{\"job\":\"sweep-timers\"},\"responsePayload\":{\"errorMessage\":\"Task timed out\"}}"))
                .isEqualTo("job=sweep-timers error=Task timed out condition=RetriesExhausted");
    }
}
