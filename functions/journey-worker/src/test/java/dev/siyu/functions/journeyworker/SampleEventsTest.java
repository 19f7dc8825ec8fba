package dev.siyu.functions.journeyworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The events/ samples (what `sam local invoke -e` uses) do what their names say through the function:
 * the trigger starts the run whose first step the step sample then performs, and the mixed batch
 * reports exactly its unreadable record.
 */
@QuarkusTest
@QuarkusTestResource(WorkerStackResource.class)
class SampleEventsTest {
    @InjectStack
    WorkerStack stack;

    @Test
    void everySampleRunsThroughTheWorker() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(stack.services.root().resolve("events"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("journey-worker-")).sorted().toList();
        }
        assertThat(names).containsExactly("journey-worker-mixed-batch.json", "journey-worker-step.json",
                "journey-worker-trigger.json");
        // GIVEN the customers the callback samples add (events/wecom-callback-add-external-contact*.json)
        CustomerProfile east = stack.customer("wmEAST00000000000000000001", "zhangsan", "parcel_card_east");
        CustomerProfile live = stack.customer("wmLIVE00000000000000000002", "wangwu", "livestream_qr");

        // WHEN the trigger sample arrives: a run starts
        assertThat(SqsEvents.failures(SqsEvents.JSON.readTree(stack.services.event("journey-worker-trigger.json")))).isEmpty();
        assertThat(stack.runs.runs(stack.tenant, east.customerId())).extracting(JourneyRun::runId)
                .containsExactly("contact_added-1748736061000");

        // WHEN the step sample (that run's first step) arrives: the welcome message waits on the advisor's desk
        assertThat(SqsEvents.failures(SqsEvents.JSON.readTree(stack.services.event("journey-worker-step.json")))).isEmpty();
        assertThat(stack.deskTasks(east)).hasSize(1);
        assertThat(stack.timeline(east, "desk_task_created")).hasSize(1);

        // WHEN the mixed batch arrives: only the unreadable record is reported, the trigger starts a run
        assertThat(SqsEvents.failures(SqsEvents.JSON.readTree(stack.services.event("journey-worker-mixed-batch.json"))))
                .containsExactly("5b3c2f0e-0004-4a6b-9a52-sample000004");
        assertThat(stack.runs.runs(stack.tenant, live.customerId())).hasSize(1);
    }
}
