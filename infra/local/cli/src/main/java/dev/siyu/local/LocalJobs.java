package dev.siyu.local;

import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.JobCatalog;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.functions.journeyworker.JourneyWorker;
import dev.siyu.functions.journeyworker.QueueMessage;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What AWS runs beside the callback, for {@code ./siyu local}: the journey queue's event source (a
 * poller handing batches of up to 10 to the worker's graph and deleting what it did not report as
 * failed, so failures come back after the visibility timeout and reach the DLQ after 5 receives) and
 * every job of the {@link JobCatalog} at its schedule in the tenant's zone (as template.yaml's
 * EventBridge Scheduler schedules run them), on the wall clock. Worker and jobs run on the engine the
 * functions build.
 */
final class LocalJobs implements AutoCloseable {
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "siyu-local-jobs");
        t.setDaemon(true);
        return t;
    });
    private final SqsClient sqs;
    private final String queueUrl;
    private final JourneyWorker worker;
    private final Engine engine;
    private final ZoneId zone;
    private final PrintStream log;
    private volatile boolean running = true;

    private LocalJobs(EmbeddedStack stack, PrintStream log, dev.siyu.core.miniapp.MiniProgram miniProgram) {
        this.sqs = stack.aws.sqs();
        this.queueUrl = stack.storeSettings.queueUrl();
        this.log = log;
        this.engine = stack.engine(stack.meter, new CelConditionCompiler(), Clock.systemUTC(), Engine.Settings.pooled(),
                miniProgram);
        this.zone = engine.config().timezone();
        this.worker = JourneyWorker.of(engine, JourneyWorker.recordPool(5));
    }

    /** @param miniProgram the Mini Program stub's API, for the steps that go as subscription messages */
    static LocalJobs start(EmbeddedStack stack, PrintStream log, dev.siyu.core.miniapp.MiniProgram miniProgram) {
        LocalJobs jobs = new LocalJobs(stack, log, miniProgram);
        Thread poller = new Thread(jobs::poll, "siyu-local-journey-queue");
        poller.setDaemon(true);
        poller.start();
        JobCatalog.jobs().forEach(jobs::scheduleNext);
        return jobs;
    }

    /** Runs the job at its next time by its schedule, then plans the one after. */
    private void scheduleNext(JobCatalog.Job job) {
        if (!running) {
            return;
        }
        Instant now = Instant.now();
        long delay = Duration.between(now, job.schedule().nextAfter(now, zone)).toMillis();
        timers.schedule(() -> {
            run(job.name());
            scheduleNext(job);
        }, Math.max(0, delay), TimeUnit.MILLISECONDS);
    }

    /** Long-polls the journey queue and hands each batch to the worker, as the event source mapping does. */
    private void poll() {
        while (running) {
            try {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages();
                if (batch.isEmpty()) {
                    continue;
                }
                JourneyWorker.BatchResult result = worker.process(batch.stream()
                        .map(m -> new QueueMessage(m.messageId(), m.body())).toList());
                Set<String> failed = new HashSet<>(result.failed());
                List<DeleteMessageBatchRequestEntry> done = batch.stream().filter(m -> !failed.contains(m.messageId()))
                        .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                        .toList();
                if (!done.isEmpty()) {
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.println("journey-worker (local): " + e.getMessage());
                }
            }
        }
    }

    private void run(String job) {
        try {
            engine.jobs().run(job);
        } catch (RuntimeException e) {
            log.println("scheduler (local) " + job + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        timers.shutdownNow();
    }
}
