package dev.siyu.functions.journeyworker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.engine.DaemonPools;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.JourneyStarter;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.log.JsonLog;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One batch of journey-queue messages (docs/architecture.md, Journey step): each due step goes to the
 * {@link StepRunner}, each trigger to the {@link JourneyStarter}. A message that throws, or cannot be
 * read, is reported back as failed and every other one as done, so SQS redelivers only the failures
 * (and parks them in the DLQ after the redrive limit). Redelivering a message that did succeed is
 * harmless: the step claim and the run ids derived from the trigger absorb it.
 */
public final class JourneyWorker {
    private static final System.Logger LOG = System.getLogger(JourneyWorker.class.getName());

    private final String tenant;
    private final JourneyStarter starter;
    private final StepRunner steps;
    private final JourneyMessages messages;
    private final Executor executor;
    private final Runnable afterBatch;

    /**
     * @param tenant   the one tenant this deployment serves; a message for another is not ours to act on
     * @param executor   runs the records of a batch; {@code Runnable::run} handles them one by one
     * @param afterBatch  runs once the batch is done (writes the batch's decision counts)
     */
    public JourneyWorker(String tenant, JourneyStarter starter, StepRunner steps, JourneyMessages messages,
                         Executor executor, Runnable afterBatch) {
        this.tenant = tenant;
        this.starter = starter;
        this.steps = steps;
        this.messages = messages;
        this.executor = executor;
        this.afterBatch = afterBatch;
    }

    /** The worker of this engine's tenant, reading messages as the journey queue carries them. */
    public static JourneyWorker of(Engine engine, Executor records) {
        return new JourneyWorker(engine.config().tenant(), engine.journeys().starter, engine.journeys().steps,
                new JourneyMessages(new ObjectMapper()), records, engine::flushDecisions);
    }

    /** {@code threads} daemon threads; 1: the caller's. */
    public static Executor recordPool(int threads) {
        return threads <= 1 ? Runnable::run : DaemonPools.fixed("journey-record", threads);
    }

    /**
     * @param failed  message ids to report in {@code batchItemFailures}
     * @param counts  outcome -> messages: step outcomes (done, skipped, deferred, exited, duplicate,
     *                gone), {@code trigger} and {@code runs_started}, {@code failed}, {@code unreadable}
     */
    public record BatchResult(List<String> failed, Map<String, Integer> counts) {
        public BatchResult {
            failed = List.copyOf(failed);
            counts = Map.copyOf(counts);
        }

        public int count(String outcome) {
            return counts.getOrDefault(outcome, 0);
        }
    }

    /** What became of one message. */
    record Handled(String messageId, String outcome, int runsStarted, boolean failed) { }

    public BatchResult process(List<QueueMessage> batch) {
        long started = System.nanoTime();
        List<CompletableFuture<Handled>> pending = new ArrayList<>(batch.size());
        for (QueueMessage m : batch) {
            pending.add(CompletableFuture.supplyAsync(() -> handle(m), executor));
        }
        List<String> failed = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (CompletableFuture<Handled> f : pending) {
            Handled h = f.join(); // handle() never throws: every failure is already a Handled
            counts.merge(h.outcome(), 1, Integer::sum);
            if (h.runsStarted() > 0) {
                counts.merge("runs_started", h.runsStarted(), Integer::sum);
            }
            if (h.failed()) {
                failed.add(h.messageId());
            }
        }
        try {
            afterBatch.run();
        } catch (RuntimeException e) {
            // Statistics only: what was not written stays pending for the next batch; no record is failed for it.
            LOG.log(Level.WARNING, JsonLog.line("decision counts not written; kept for the next batch", "error",
                    e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
        BatchResult result = new BatchResult(failed, counts);
        List<Object> fields = new ArrayList<>(List.of("records", batch.size(), "failed_records", failed.size()));
        counts.forEach((k, v) -> {
            fields.add(k);
            fields.add(v);
        });
        fields.add("ms");
        fields.add((System.nanoTime() - started) / 1_000_000);
        LOG.log(failed.isEmpty() ? Level.INFO : Level.WARNING, JsonLog.line("journey batch", fields.toArray()));
        return result;
    }

    private Handled handle(QueueMessage m) {
        JourneyMessage message;
        try {
            message = messages.read(m.body());
            if (!tenant.equals(message.tenant())) {
                throw new JourneyMessages.Unreadable("for tenant '" + message.tenant() + "'; this deployment serves '"
                        + tenant + "'", null);
            }
        } catch (RuntimeException e) {
            // No stack trace: the reason says it all, and the body (cut short) lets someone find the sender.
            LOG.log(Level.ERROR, JsonLog.line("unreadable journey message: reported as failed, it reaches the DLQ"
                    + " after the redrive limit", "messageId", m.messageId(), "reason", String.valueOf(e.getMessage()),
                    "body", abbreviate(m.body())));
            return new Handled(m.messageId(), "unreadable", 0, true);
        }
        try {
            if (message instanceof JourneyMessage.Step s) {
                StepRunner.Outcome outcome = steps.run(s.step());
                return new Handled(m.messageId(), outcome.name().toLowerCase(Locale.ROOT), 0, false);
            }
            JourneyMessage.Trigger t = (JourneyMessage.Trigger) message;
            List<JourneyRun> runs = starter.onEvent(t.trigger());
            return new Handled(m.messageId(), "trigger", runs.size(), false);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, JsonLog.line("journey message failed: reported for redelivery",
                    "messageId", m.messageId(), "message", describe(message),
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())), e);
            return new Handled(m.messageId(), "failed", 0, true);
        }
    }

    private static String describe(JourneyMessage message) {
        if (message instanceof JourneyMessage.Step s) {
            return "step " + s.step().journey() + "/" + s.step().runId() + "#" + s.step().step()
                    + " customer " + s.step().customerId();
        }
        JourneyMessage.Trigger t = (JourneyMessage.Trigger) message;
        return "trigger " + t.trigger().kind() + " customer " + t.trigger().customerId();
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
