package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.UsageException;
import dev.siyu.store.AwsClients;
import dev.siyu.store.DeadLetter;
import dev.siyu.store.DeadLetterQueue;
import dev.siyu.store.DeadLetterRedrive;
import dev.siyu.store.DeadLetterSummary;
import dev.siyu.store.SqsDeadLetterQueue;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * {@code ./siyu dlq list|redrive}: the dead letters of the journey queue (steps and triggers that failed 5
 * times) or of the scheduler (job invocations that failed), against the local stack's ElasticMQ or a
 * deployed stack's SQS (signed by the SDK with the caller's credentials, as {@code apply} reaches AWS).
 * Redrive sends each back to its source queue (a scheduled job's: an asynchronous invocation of the scheduler
 * function, {@link JobInvoker}) and deletes it only after the send succeeded ({@link DeadLetterRedrive}).
 */
final class DlqCommand {
    static final String DEFAULT_SQS = "http://127.0.0.1:9324";
    private static final int ALL = 100_000;

    private DlqCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || !Set.of("list", "redrive").contains(argv.get(0))) {
            throw new UsageException("dlq needs list or redrive");
        }
        String action = argv.get(0);
        CliArgs args = CliArgs.parse(argv.subList(1, argv.size()), Set.of(),
                Set.of("queue", "max", "sqs", "region", "dlq-url", "source-url", "function", "lambda"));
        String queue = args.string("queue", "journey");
        if (!Set.of("journey", "scheduler").contains(queue)) {
            throw new UsageException("--queue is journey or scheduler, got '" + queue + "'");
        }
        int max = args.integer("max", ALL, 1, ALL);
        String region = args.string("region", "");
        try (SqsClient sqs = client(args, region)) {
            Queues q = queues(args, sqs, queue, region);
            DeadLetterRedrive redrive = new DeadLetterRedrive(new SqsDeadLetterQueue(sqs, q.dlq()));
            DeadLetterSummary summary = new DeadLetterSummary(new ObjectMapper());
            if (action.equals("list")) {
                List<DeadLetter> letters = redrive.list(max);
                out.printf("%d dead letter(s) in %s%n", letters.size(), q.dlq());
                for (DeadLetter l : letters) {
                    out.printf("%s  first received %s  receives %d  %s%n", l.id(),
                            l.firstReceived() == null ? "-" : l.firstReceived(), l.receives(), summary.line(l.body()));
                }
                return 0;
            }
            DeadLetterQueue.Source source;
            String target;
            if (q.source().isPresent()) {
                source = SqsDeadLetterQueue.source(sqs, q.source().get());
                target = q.source().get();
            } else if (!args.string("function", "").isBlank()) {
                // a scheduled job's dead letter was an invocation, not a message: it goes back as one
                String lambda = args.string("lambda", "");
                target = args.string("function", "");
                source = JobInvoker.of(lambda.isBlank() ? null : args.uri("lambda", lambda),
                        region.isBlank() ? "us-east-1" : region, target);
            } else {
                throw new UsageException("a scheduled job's dead letter goes back to the scheduler function, not a"
                        + " queue: give --function <the stack's SchedulerFunctionAlias output>");
            }
            DeadLetterRedrive.Result r = redrive.redrive(source, max);
            for (DeadLetter l : r.sent()) {
                out.printf("sent back  %s  %s%n", l.id(), summary.line(l.body()));
            }
            for (DeadLetterRedrive.Failed f : r.failed()) {
                err.printf("not sent, still in the DLQ  %s  %s: %s%n", f.letter().id(), summary.line(f.letter().body()),
                        f.reason());
            }
            out.printf("%d sent back to %s, %d left in the DLQ after a failed send%n", r.sent().size(), target,
                    r.failed().size());
            return r.failed().isEmpty() ? 0 : 1;
        }
    }

    /** Local: placeholder credentials to ElasticMQ. AWS (--region): the SDK's default credentials and endpoint. */
    private static SqsClient client(CliArgs args, String region) {
        if (!region.isBlank() && args.string("sqs", "").isBlank()) {
            return new AwsClients(new StoreSettings("unused", "", region, Optional.empty(), Optional.empty())).sqs();
        }
        URI endpoint = args.uri("sqs", DEFAULT_SQS);
        return new AwsClients(StoreSettings.local("unused", "", endpoint, endpoint)).sqs();
    }

    private record Queues(String dlq, Optional<String> source) {
    }

    /**
     * On AWS the stack's outputs name them (DeadLetterQueueUrl and QueueUrl for the journey queue,
     * SchedulerDeadLetterQueueUrl); locally they are found by the names the embedded stack gives them.
     */
    private static Queues queues(CliArgs args, SqsClient sqs, String queue, String region) {
        String dlq = args.string("dlq-url", "");
        String source = args.string("source-url", "");
        if (!dlq.isBlank()) {
            return new Queues(dlq, source.isBlank() ? Optional.empty() : Optional.of(source));
        }
        if (!region.isBlank() && args.string("sqs", "").isBlank()) {
            throw new UsageException("on AWS, give --dlq-url (the stack's " + (queue.equals("journey")
                    ? "DeadLetterQueueUrl output) and for redrive --source-url (its QueueUrl output)"
                    : "SchedulerDeadLetterQueueUrl output)"));
        }
        if (queue.equals("scheduler")) {
            throw new UsageException("the local stack runs the scheduled jobs in process and has no scheduler DLQ;"
                    + " --queue scheduler is for a deployed stack (--region, --dlq-url)");
        }
        try {
            String sourceUrl = sqs.getQueueUrl(b -> b.queueName(EmbeddedStack.QUEUE)).queueUrl();
            String dlqUrl = sqs.getQueueUrl(b -> b.queueName(EmbeddedStack.QUEUE + SqsQueues.DLQ_SUFFIX)).queueUrl();
            return new Queues(dlqUrl, Optional.of(source.isBlank() ? sourceUrl : source));
        } catch (QueueDoesNotExistException e) {
            throw new UsageException("no queue " + EmbeddedStack.QUEUE + " at " + args.uri("sqs", DEFAULT_SQS)
                    + " (is ./siyu local running?)");
        }
    }
}
