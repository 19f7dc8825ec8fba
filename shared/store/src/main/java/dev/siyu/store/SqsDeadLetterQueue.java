package dev.siyu.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** A dead-letter queue on SQS (or ElasticMQ), and its source queue as a redrive target. */
public final class SqsDeadLetterQueue implements DeadLetterQueue {
    /** Long enough to send a page back; a redrive that dies mid-page leaves them visible again after this. */
    private static final int HOLD_SECONDS = 60;

    private final SqsClient sqs;
    private final String url;

    public SqsDeadLetterQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    /** The DLQ {@link SqsQueues#createIfMissing} pairs with a queue: {@code <name>-dlq} next to it. */
    public static String dlqUrlOf(String queueUrl) {
        return queueUrl + SqsQueues.DLQ_SUFFIX;
    }

    @Override
    public List<DeadLetter> receive(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.max(1, Math.min(10, max)))
                        .visibilityTimeout(HOLD_SECONDS).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP)
                        .messageAttributeNames("All"))
                .messages().stream().map(SqsDeadLetterQueue::letter).toList();
    }

    @Override
    public void release(DeadLetter letter) {
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(letter.handle()).visibilityTimeout(0));
    }

    @Override
    public void delete(DeadLetter letter) {
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(letter.handle()));
    }

    /** Sends a dead letter to sourceUrl as it was: same body, same string attributes, no delay. */
    public static Source source(SqsClient sqs, String sourceUrl) {
        return letter -> {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            letter.attributes().forEach((k, v) -> attributes.put(k,
                    MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
            sqs.sendMessage(b -> b.queueUrl(sourceUrl).messageBody(letter.body()).messageAttributes(attributes));
        };
    }

    private static DeadLetter letter(Message m) {
        Map<MessageSystemAttributeName, String> system = m.attributes();
        String first = system.get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
        String count = system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        Map<String, String> attributes = new LinkedHashMap<>();
        m.messageAttributes().forEach((k, v) -> {
            if (v.stringValue() != null) {
                attributes.put(k, v.stringValue());
            }
        });
        return new DeadLetter(m.messageId(), m.receiptHandle(),
                first == null ? null : Instant.ofEpochMilli(Long.parseLong(first)),
                count == null ? 0 : Integer.parseInt(count), m.body(), attributes);
    }
}
