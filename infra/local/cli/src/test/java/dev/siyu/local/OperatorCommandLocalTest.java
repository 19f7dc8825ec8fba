package dev.siyu.local;

import static dev.siyu.local.ApplyCommandTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.store.CapacityMeter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ./siyu transfer and ./siyu mass-send on a running local stack: they run here, on its table and WeCom stub. */
class OperatorCommandLocalTest {
    static EmbeddedStack stack;
    static Engine engine;

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(StackPorts.EPHEMERAL, LocalEnv.load(ROOT, Map.of()).wecom(),
                Blueprint.read(ROOT.resolve(Blueprint.DEFAULT)), Clock.systemUTC());
        engine = stack.engine(new CapacityMeter(), null, Clock.systemUTC(), Engine.Settings.inline());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private String run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.addAll(List.of("--dynamodb", stack.dynamo.endpoint().toString(), "--sqs", stack.sqs.endpoint().toString(),
                "--wecom-api-base-url", stack.stub.baseUrl(), "--tenant", stack.tenant()));
        int code = Main.run(argv.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), ROOT);
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void transferAsksWeComAndNotesItOnTheTimeline() {
        engine.callbacks().process(new WeComEvent.ContactAdded("zhangsan", "wmLocalTransfer01", null, null, false,
                Instant.now().minusSeconds(5)));

        String out = run(0, "transfer", "--from", "zhangsan", "--to", "lisi", "--customers", "wmLocalTransfer01");

        assertThat(out).contains("\"job\" : \"transfer_customers\"").contains("\"requested\" : 1");
        assertThat(stack.stub.calls("externalcontact/transfer_customer")).extracting(RecordedCall::body)
                .anySatisfy(b -> assertThat(b.toString()).contains("wmLocalTransfer01"));
        assertThat(stack.customers.timeline(stack.tenant(), "wx-wmLocalTransfer01")).extracting(TimelineEvent::kind)
                .contains("transfer_requested");
    }

    @Test
    void massSendWithAnUnknownContentIsAUsageError() {
        assertThat(run(2, "mass-send", "--campaign", "c", "--text", "t", "--content", "loud")).contains("value or promotional");
    }
}
