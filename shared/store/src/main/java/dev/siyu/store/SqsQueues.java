package dev.siyu.store;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates queues the way template.yaml declares them, for the local stack (on AWS the template
 * creates them): each queue with a {@code <name>-dlq} dead-letter queue after 5 receives.
 */
public final class SqsQueues {
    public static final int MAX_RECEIVE_COUNT = 5;
    public static final String DLQ_SUFFIX = "-dlq";

    private SqsQueues() {
    }

    /** Returns the queue's url; CreateQueue is idempotent for equal attributes, so repeated runs are safe. */
    public static String createIfMissing(SqsClient sqs, String name) {
        String dlqUrl = sqs.createQueue(b -> b.queueName(name + DLQ_SUFFIX)).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}";
        return sqs.createQueue(b -> b.queueName(name)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
    }
}
