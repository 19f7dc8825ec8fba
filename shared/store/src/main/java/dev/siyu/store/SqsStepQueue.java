package dev.siyu.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link StepQueue} on SQS: a per-message DelaySeconds (standard queues only; FIFO queues have no
 * per-message delay) and a JSON body ({@link DueStepJson}). Batches go out as SendMessageBatch of
 * 10, the API's limit, and the entries SQS refuses come back to the caller instead of failing the
 * whole batch.
 */
public final class SqsStepQueue implements StepQueue {
    static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final DueStepJson json;

    public SqsStepQueue(SqsClient sqs, String queueUrl, ObjectMapper mapper) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.json = new DueStepJson(mapper);
    }

    @Override
    public void send(DueStep step, Duration delay) {
        Delayed d = new Delayed(step, delay);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(json.write(d.step())).delaySeconds(seconds(d)));
    }

    @Override
    public List<Delayed> sendAll(List<Delayed> steps) {
        List<Delayed> refused = new ArrayList<>();
        for (int from = 0; from < steps.size(); from += MAX_BATCH) {
            List<Delayed> group = steps.subList(from, Math.min(steps.size(), from + MAX_BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                Delayed d = group.get(i);
                // Entry ids only need to be unique within the request; the index maps failures back.
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(json.write(d.step())).delaySeconds(seconds(d)).build());
            }
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            for (BatchResultErrorEntry failed : r.failed()) {
                refused.add(group.get(Integer.parseInt(failed.id())));
            }
        }
        return refused;
    }

    /** Delayed already keeps the delay within 0..900 s; whole seconds were rounded up by the scheduler. */
    private static int seconds(Delayed d) {
        Duration delay = d.delay();
        return (int) (delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0));
    }
}
