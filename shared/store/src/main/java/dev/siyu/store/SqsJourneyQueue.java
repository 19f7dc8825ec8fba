package dev.siyu.store;

import dev.siyu.core.port.JourneyQueue;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@link JourneyQueue} on SQS. The trigger's kind also travels as a message attribute, so a
 * subscription filter or a person looking at the DLQ sees what a message is without parsing it.
 */
public final class SqsJourneyQueue implements JourneyQueue {
    public static final String KIND_ATTRIBUTE = "kind";

    private final SqsClient sqs;
    private final String queueUrl;
    private final JourneyTriggerJson json;

    public SqsJourneyQueue(SqsClient sqs, String queueUrl, ObjectMapper mapper) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.json = new JourneyTriggerJson(mapper);
    }

    @Override
    public void enqueue(JourneyTrigger trigger) {
        String body = json.write(trigger);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)
                .messageAttributes(Map.of(KIND_ATTRIBUTE, MessageAttributeValue.builder()
                        .dataType("String").stringValue(trigger.kind()).build())));
    }
}
