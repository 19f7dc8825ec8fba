package dev.siyu.local;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.functions.journeyworker.JourneyWorker;
import dev.siyu.functions.journeyworker.QueueMessage;
import dev.siyu.functions.journeyworker.WorkerAssembly;
import dev.siyu.functions.scheduler.SchedulerAssembly;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * the EventBridge schedules of template.yaml, on the wall clock.
 */
final class LocalJobs implements AutoCloseable {
    /** The schedules of template.yaml, in the tenant's zone. */
    static final Map<String, LocalTime> DAILY = Map.of("daily-rules", LocalTime.of(2, 0), "community", LocalTime.of(10, 30),
            "freeloaders", LocalTime.of(4, 0));

    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "siyu-local-jobs");
        t.setDaemon(true);
        return t;
    });
    private final SqsClient sqs;
    private final String queueUrl;
    private final JourneyWorker worker;
    private final SchedulerAssembly scheduler;
    private final PrintStream log;
    private volatile boolean running = true;

    private LocalJobs(EmbeddedStack stack, ScrmConfig config, PrintStream log) {
        this.sqs = stack.aws.sqs();
        this.queueUrl = stack.storeSettings.queueUrl();
        this.log = log;
        Clock clock = Clock.systemUTC();
        long version = stack.applied.version();
        this.worker = new WorkerAssembly(config, version, stack.aws.dynamoDb(), sqs, stack.storeSettings,
                new WxJavaWeComApi(stack.wecomSettings), stack.meter, clock).worker;
        this.scheduler = new SchedulerAssembly(config, version, stack.aws.dynamoDb(), sqs, stack.storeSettings,
                new WxJavaWeComApi(stack.wecomSettings), stack.meter, clock);
    }

    static LocalJobs start(EmbeddedStack stack, PrintStream log) {
        ScrmConfig config = stack.applied.config();
        LocalJobs jobs = new LocalJobs(stack, config, log);
        Thread poller = new Thread(jobs::poll, "siyu-local-journey-queue");
        poller.setDaemon(true);
        poller.start();
        jobs.timers.scheduleWithFixedDelay(() -> jobs.run("sweep-timers"), 60, 60, TimeUnit.SECONDS);
        jobs.timers.scheduleWithFixedDelay(() -> jobs.run("group-sop"), 15, 15, TimeUnit.MINUTES);
        jobs.timers.scheduleWithFixedDelay(() -> jobs.run("offboarding"), 60, 60, TimeUnit.MINUTES);
        DAILY.forEach((job, at) -> {
            long first = Duration.between(ZonedDateTime.now(config.timezone()), nextAt(at, config)).toSeconds();
            jobs.timers.scheduleAtFixedRate(() -> jobs.run(job), first, TimeUnit.DAYS.toSeconds(1), TimeUnit.SECONDS);
        });
        return jobs;
    }

    private static ZonedDateTime nextAt(LocalTime at, ScrmConfig config) {
        ZonedDateTime now = ZonedDateTime.now(config.timezone());
        ZonedDateTime today = now.with(at);
        return today.isAfter(now) ? today : today.plusDays(1);
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
            scheduler.jobs.run(job);
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
