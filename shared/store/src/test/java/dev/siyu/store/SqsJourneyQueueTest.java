package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.stack.aws.EmbeddedSqs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqsJourneyQueueTest {
    private EmbeddedSqs elasticMq;
    private SqsClient sqs;
    private String queueUrl;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    void startElasticMq() {
        elasticMq = EmbeddedSqs.start(0);
        sqs = new AwsClients(StoreSettings.local("unused", "unused", elasticMq.endpoint(), elasticMq.endpoint())).sqs();
        queueUrl = SqsQueues.createIfMissing(sqs, "journey-steps");
    }

    @AfterAll
    void stop() {
        sqs.close();
        elasticMq.close();
    }

    @Test
    void aTriggerArrivesAsTheSameJsonWithItsKind() throws Exception {
        JourneyTrigger trigger = new JourneyTrigger("acme", "c-1", "contact_added",
                Instant.parse("2026-03-01T08:00:00.123Z"), Map.of("state", "store_sh_01", "staff", "zhang.wei"));

        new SqsJourneyQueue(sqs, queueUrl, mapper).enqueue(trigger);

        List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)
                .messageAttributeNames("All")).messages();
        assertThat(received).hasSize(1);
        Message m = received.get(0);
        assertThat(m.messageAttributes().get(SqsJourneyQueue.KIND_ATTRIBUTE).stringValue()).isEqualTo("contact_added");
        assertThat(new JourneyTriggerJson(mapper).read(m.body())).isEqualTo(trigger);
        assertThat(mapper.readTree(m.body())).isEqualTo(mapper.readTree(
                "{\"tenant\":\"acme\",\"customerId\":\"c-1\",\"kind\":\"contact_added\","
                        + "\"at\":\"2026-03-01T08:00:00.123Z\","
                        + "\"details\":{\"state\":\"store_sh_01\",\"staff\":\"zhang.wei\"}}"));
    }

    @Test
    void queuesAreCreatedOnceWithARedrivePolicy() throws Exception {
        assertThat(SqsQueues.createIfMissing(sqs, "journey-steps")).isEqualTo(queueUrl);
        assertThat(queueUrl).startsWith(elasticMq.endpoint().toString());

        String redrive = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        // SQS answers the count as a string, ElasticMQ as a number: compare the value.
        assertThat(mapper.readTree(redrive).get("maxReceiveCount").asInt()).isEqualTo(SqsQueues.MAX_RECEIVE_COUNT);
        assertThat(mapper.readTree(redrive).get("deadLetterTargetArn").asText()).endsWith(":journey-steps-dlq");
    }
}
