package dev.siyu.functions.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.testkit.InjectStack;
import dev.siyu.testkit.MockLambda;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the scheduler accepts as its event, and how it says no. JOBS: the scheduled jobs, then the operator actions. */
@QuarkusTest
@QuarkusTestResource(SchedulerStackResource.class)
class JobInputTest {
    static final List<String> JOBS = List.of("sweep-timers", "score-customers", "daily-rules", "group-sop", "community", "freeloaders",
            "offboarding", "reconcile", "staff-directory", "points-expiry", "mass_send", "transfer_customers");

    @InjectStack
    SchedulerStack stack;

    @Test
    void thereIsOneSampleEventPerJob() throws IOException {
        try (Stream<Path> files = Files.list(stack.services.root().resolve("events"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("scheduler-"))
                    .map(n -> n.substring("scheduler-".length(), n.length() - ".json".length())))
                    .containsExactlyInAnyOrderElementsOf(JOBS);
        }
    }

    @Test
    void aScheduledEventCarryingTheJobInItsDetailIsAccepted() {
        String scheduledEvent = """
                {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "123456789012", "time": "2026-11-24T02:00:00Z",
                 "region": "ap-east-1", "resources": ["arn:aws:events:ap-east-1:123456789012:rule/siyu-sweep"],
                 "detail": {"job": "sweep-timers"}}""";
        assertThat(Invoke.summary(scheduledEvent).path("job").asText()).isEqualTo("sweep-timers");
    }

    @Test
    void anUnknownJobIsRefusedWithTheValidJobs() {
        MockLambda.Reply reply = Invoke.LAMBDA.invoke("{\"job\": \"reticulate-splines\"}");
        assertThat(reply.status()).isEqualTo(500);
        // Funqy puts the exception's class name in front of its message.
        assertThat(reply.body().path("errorMessage").asText()).endsWith(
                "unknown job 'reticulate-splines'; valid jobs: " + String.join(", ", JOBS));
    }

    @Test
    void anEventWithoutAJobIsRefusedWithTheValidJobs() {
        MockLambda.Reply reply = Invoke.LAMBDA.invoke("""
                {"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}""");
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body().path("errorMessage").asText()).contains("the event names no job")
                .endsWith("valid jobs: " + String.join(", ", JOBS));
    }
}
