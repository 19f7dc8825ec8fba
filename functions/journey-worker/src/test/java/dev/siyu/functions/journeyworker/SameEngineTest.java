package dev.siyu.functions.journeyworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.DueStep;
import dev.siyu.functions.journeyworker.SqsEvents.Record;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The simulator and the deployed worker run one engine. The same customer, trigger and due step go to
 * the function (its CDI-built Engine on DynamoDB, SQS and WxJava) and to an Engine on the in-memory
 * ports built as the simulator builds one: both start the same run, queue the same step, decide the
 * same, write the same timeline and leave the same message on the staff desk.
 */
@QuarkusTest
@QuarkusTestResource(WorkerStackResource.class)
class SameEngineTest {
    /** What a timeline event says, without its id, its instant (the two run moments apart) and WeCom's ids. */
    private static final List<String> COMPARED = List.of("journey", "run", "step", "label", "channel", "content", "rule");

    @InjectStack
    WorkerStack stack;

    @Inject
    Engine functionEngine;

    @Test
    void theSimulatorsEngineDecidesWhatTheFunctionDecides() {
        CustomerProfile customer = stack.newCustomer();
        List<TimelineEvent> before = stack.customers.timeline(stack.tenant, customer.customerId());
        Instant at = stack.clock.instant();
        JourneyTrigger trigger = new JourneyTrigger(stack.tenant, customer.customerId(), "contact_added", at,
                Map.of("staff", "zhangsan"));

        // The function, as SQS hands it the trigger and then the step the trigger queued.
        assertThat(SqsEvents.failures(Record.of("""
                {"tenant":"%s","customerId":"%s","kind":"contact_added","at":"%s","details":{"staff":"zhangsan"}}"""
                .formatted(stack.tenant, customer.customerId(), at)))).isEmpty();
        List<DueStep> functionQueued = stack.queuedSteps(customer.customerId(), Duration.ofSeconds(5));
        assertThat(functionQueued).isNotEmpty();
        assertThat(SqsEvents.failures(Record.of(stack.stepJson(functionQueued.get(0))))).isEmpty();

        // The simulator's engine: memory ports, the function's blueprint and version, the same clock.
        RecordingWeComApi wecom = new RecordingWeComApi(stack.clock);
        Ports memory = MemoryPorts.create(wecom);
        memory.customers().save(customer, before);
        Engine simulator = new Engine(memory, functionEngine.config(), functionEngine.configVersion(),
                new CelConditionCompiler(), stack.clock, Engine.Settings.inline());
        simulator.journeys().starter.onEvent(trigger);
        List<DueStep> simulatorQueued = ((MemoryQueue) memory.steps()).sent().stream().map(MemoryQueue.Sent::step)
                .filter(Objects::nonNull).toList();
        simulator.journeys().steps.run(simulatorQueued.get(0));

        assertThat(simulatorQueued).extracting(DueStep::journey, DueStep::runId, DueStep::step)
                .isEqualTo(functionQueued.stream().map(d -> org.assertj.core.groups.Tuple.tuple(d.journey(), d.runId(),
                        d.step())).toList());
        assertThat(runs(memory.runs().runs(stack.tenant, customer.customerId())))
                .isEqualTo(runs(stack.runs.runs(stack.tenant, customer.customerId())))
                .isNotEmpty();
        assertThat(said(memory.customers().timeline(stack.tenant, customer.customerId())))
                .isEqualTo(said(stack.customers.timeline(stack.tenant, customer.customerId())))
                .anyMatch(line -> line.startsWith("desk_task_created"));
        assertThat(memory.desk().open(stack.tenant, "zhangsan")).extracting(t -> t.staffUserId(), t -> t.text())
                .isEqualTo(stack.deskTasks(customer).stream().map(t -> org.assertj.core.groups.Tuple.tuple(
                        t.staffUserId(), t.text())).toList())
                .hasSize(1);
        assertThat(wecom.templates()).isEmpty();
    }

    private static List<String> runs(List<JourneyRun> runs) {
        return runs.stream().map(r -> r.journey() + " " + r.runId() + " step " + r.step() + " " + r.status()
                + " v" + r.version()).sorted().toList();
    }

    private static List<String> said(List<TimelineEvent> timeline) {
        return timeline.stream().map(e -> e.kind() + " " + COMPARED.stream()
                .flatMap(k -> e.details().containsKey(k) ? Stream.of(k + "=" + e.details().get(k)) : Stream.empty())
                .toList()).toList();
    }
}
