package dev.siyu.functions.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.testkit.MockLambda;

/** Invokes the scoring function through the mock event server on this module's port (application.properties, %test). */
final class Invoke {
    static final MockLambda LAMBDA = new MockLambda(8093);

    private Invoke() {
    }

    /** The job's summary; fails the test when the function failed. */
    static JsonNode summary(String eventJson) {
        MockLambda.Reply reply = LAMBDA.invoke(eventJson);
        if (!reply.ok()) {
            throw new AssertionError("the scoring function failed (status " + reply.status() + "): " + reply.body());
        }
        return reply.body();
    }
}
