package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.timer.DueStep;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.stack.aws.EmbeddedSqs;
import dev.siyu.store.AwsClients;
import dev.siyu.store.DueStepJson;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** ./siyu dlq against the local stack's queues on ElasticMQ. */
class DlqCommandTest {
    private EmbeddedSqs elasticMq;
    private SqsClient sqs;
    private String queueUrl;
    private String dlqUrl;

    @BeforeEach
    void start() {
        elasticMq = EmbeddedSqs.start(0);
        sqs = new AwsClients(StoreSettings.local("unused", "unused", elasticMq.endpoint(), elasticMq.endpoint())).sqs();
        queueUrl = SqsQueues.createIfMissing(sqs, EmbeddedStack.QUEUE);
        dlqUrl = sqs.getQueueUrl(b -> b.queueName(EmbeddedStack.QUEUE + SqsQueues.DLQ_SUFFIX)).queueUrl();
        for (int i = 0; i < 3; i++) {
            String body = new DueStepJson(new ObjectMapper()).write(new DueStep("demo-brand", "c-" + i, "welcome", "r-" + i, 1,
                    Instant.parse("2026-03-01T01:00:00Z"), Map.of()));
            sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody(body));
        }
    }

    @AfterEach
    void stop() {
        sqs.close();
        elasticMq.close();
    }

    private String run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.addAll(List.of("--sqs", elasticMq.endpoint().toString()));
        int code = Main.run(argv.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), ApplyCommandTest.ROOT);
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listShowsEachDeadLetterWithItsCustomerJourneyRunAndStep() {
        String listed = run(0, "dlq", "list");
        assertThat(listed).startsWith("3 dead letter(s) in " + dlqUrl);
        assertThat(listed).contains("tenant=demo-brand customer=c-0 journey=welcome run=r-0 step=1")
                .contains("customer=c-1").contains("customer=c-2").contains("receives ");
        // still there
        assertThat(run(0, "dlq", "list")).startsWith("3 dead letter(s)");
    }

    @Test
    void redriveMovesThemBackToTheJourneyQueue() {
        assertThat(run(0, "dlq", "redrive", "--max", "2")).contains("2 sent back to " + queueUrl);
        assertThat(run(0, "dlq", "list")).startsWith("1 dead letter(s)");
        assertThat(run(0, "dlq", "redrive")).contains("1 sent back");
        assertThat(run(0, "dlq", "list")).startsWith("0 dead letter(s)");
        int back = 0;
        for (int empty = 0; empty < 2; ) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            empty = got.isEmpty() ? empty + 1 : 0;
            back += got.size();
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        }
        assertThat(back).isEqualTo(3);
    }

    @Test
    void theLocalStackHasNoSchedulerDlq() {
        assertThat(run(2, "dlq", "list", "--queue", "scheduler")).contains("no scheduler DLQ");
    }

    /** A deployed scheduler's dead letters go back to the scheduler function as asynchronous invocations. */
    @Test
    void aScheduledJobsDeadLetterIsRunAgainThroughLambdaAndThenDeleted() throws Exception {
        String schedulerDlq = sqs.createQueue(b -> b.queueName("siyu-scheduler-dlq")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(schedulerDlq).messageBody("{\"job\": \"daily-rules\"}"));
        sqs.sendMessage(b -> b.queueUrl(schedulerDlq).messageBody("{\"version\":\"1.0\",\"requestContext\":"
                + "{\"condition\":\"RetriesExhausted\"},\"requestPayload\":{\"job\":\"sweep-timers\"}}"));
        List<String> invoked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer lambda = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        lambda.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            invoked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type") + " "
                    + exchange.getRequestHeaders().getFirst("Authorization").startsWith("AWS4-HMAC-SHA256") + " " + body);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        lambda.start();
        try {
            String out = run(0, "dlq", "redrive", "--queue", "scheduler", "--region", "us-east-1", "--dlq-url", schedulerDlq,
                    "--function", "siyu-prod-SchedulerFunction:live",
                    "--lambda", "http://127.0.0.1:" + lambda.getAddress().getPort());

            assertThat(out).contains("2 sent back to siyu-prod-SchedulerFunction:live");
            assertThat(invoked).containsExactlyInAnyOrder(
                    "POST /2015-03-31/functions/siyu-prod-SchedulerFunction:live/invocations Event true {\"job\": \"daily-rules\"}",
                    "POST /2015-03-31/functions/siyu-prod-SchedulerFunction:live/invocations Event true {\"job\": \"sweep-timers\"}");
            assertThat(run(0, "dlq", "list", "--queue", "scheduler", "--region", "us-east-1", "--dlq-url", schedulerDlq))
                    .startsWith("0 dead letter(s)");
        } finally {
            lambda.stop(0);
        }
    }

    /** An operator action's dead letter goes back with its input (a mass send without its campaign would only fail). */
    @Test
    void anOperatorActionsDeadLetterGoesBackWithItsInput() throws Exception {
        String schedulerDlq = sqs.createQueue(b -> b.queueName("siyu-scheduler-dlq")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(schedulerDlq).messageBody("{\"version\":\"1.0\",\"requestContext\":"
                + "{\"condition\":\"RetriesExhausted\"},\"requestPayload\":{\"job\":\"mass_send\",\"input\":"
                + "{\"campaign\":\"double12\",\"text\":\"hi\"}}}"));
        List<String> invoked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer lambda = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        lambda.createContext("/", exchange -> {
            invoked.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        lambda.start();
        try {
            run(0, "dlq", "redrive", "--queue", "scheduler", "--region", "us-east-1", "--dlq-url", schedulerDlq,
                    "--function", "siyu-prod-SchedulerFunction:live",
                    "--lambda", "http://127.0.0.1:" + lambda.getAddress().getPort());
            assertThat(invoked).containsExactly(
                    "{\"job\":\"mass_send\",\"input\":{\"campaign\":\"double12\",\"text\":\"hi\"}}");
        } finally {
            lambda.stop(0);
        }
    }

    @Test
    void withoutTheFunctionASchedulerRedriveSaysWhatItNeeds() {
        String schedulerDlq = sqs.createQueue(b -> b.queueName("siyu-scheduler-dlq")).queueUrl();
        assertThat(run(2, "dlq", "redrive", "--queue", "scheduler", "--region", "us-east-1", "--dlq-url", schedulerDlq))
                .contains("--function");
    }
}
