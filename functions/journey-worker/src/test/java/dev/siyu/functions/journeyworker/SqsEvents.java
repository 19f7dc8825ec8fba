package dev.siyu.functions.journeyworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.testkit.MockLambda;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQS events as Lambda's poller delivers them, and the function's answer read back. */
final class SqsEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    static final MockLambda LAMBDA = new MockLambda(JourneyWorkerTestPort.PORT);

    private SqsEvents() {
    }

    record Record(String messageId, String body) {
        static Record of(String body) {
            return new Record(UUID.randomUUID().toString(), body);
        }
    }

    static ObjectNode event(List<Record> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (Record r : records) {
            ObjectNode n = array.addObject();
            n.put("messageId", r.messageId());
            n.put("receiptHandle", "handle-" + r.messageId());
            n.put("body", r.body());
            n.putObject("attributes").put("ApproximateReceiveCount", "1");
            n.putObject("messageAttributes");
            n.put("eventSource", "aws:sqs");
            n.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:siyu-worker-test-journeys");
            n.put("awsRegion", "us-east-1");
        }
        return event;
    }

    /** Invokes the worker and returns the ids in batchItemFailures. */
    static List<String> failures(JsonNode event) {
        MockLambda.Reply reply = LAMBDA.invoke(event);
        if (!reply.ok()) {
            throw new AssertionError("the function failed as a whole (status " + reply.status() + "): " + reply.body());
        }
        List<String> ids = new ArrayList<>();
        reply.body().path("batchItemFailures").forEach(f -> ids.add(f.path("itemIdentifier").asText()));
        return ids;
    }

    static List<String> failures(Record... records) {
        return failures(event(List.of(records)));
    }
}
