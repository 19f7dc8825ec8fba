package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.journey.Action;
import dev.siyu.core.journey.ActionPerformer;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.JourneyStep;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.journey.Trigger;
import dev.siyu.core.miniapp.SubscriptionStore;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.DueStep;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.stack.miniapp.MiniProgramStub;
import dev.siyu.store.CapacityMeter;
import dev.siyu.wecom.WxJavaMiniProgram;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A journey step as a subscription message on the local stack: the stores on DynamoDB Local, the send through
 * WxJava's Mini Program module to the Mini Program stub, which keeps WeChat's one-accept-one-message rule.
 */
class SubscriptionMessageLocalTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static final String SECRET = "siyu-local-miniapp-secret";
    /** Tuesday 11:00 in Shanghai. */
    static final Instant NOW = Instant.parse("2026-06-02T03:00:00Z");
    static EmbeddedStack stack;
    static MiniProgramStub wechat;

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(StackPorts.EPHEMERAL, LocalEnv.load(ROOT, Map.of()).wecom(),
                Blueprint.read(ROOT.resolve(Blueprint.DEFAULT)), Clock.systemUTC());
        wechat = new MiniProgramStub(null, SECRET, Clock.systemUTC()).start(0);
    }

    @AfterAll
    static void stop() {
        wechat.close();
        stack.close();
    }

    @Test
    void aMemberWhoAcceptedOnceGetsOneMessageThenTheStepGoesItsNormalWay() {
        ScrmConfig example = stack.applied.config();
        Journey restock = new Journey("restock_nudge", "restock by subscription", new Trigger(Trigger.Kind.EVENT,
                "restock_due", null, null), List.of(new JourneyStep("restock", Duration.ZERO, false, null,
                new Action.SendMessage(Action.MessageKind.TEXT, ContentClass.VALUE,
                        "Your serum is running low: restock at the member price", null, null, null,
                        "repurchase_reminder"))), null, null, Map.of(), null, false, null);
        ScrmConfig config = new ScrmConfig(example.tenant(), example.timezone(), example.staff(), example.stores(),
                example.channelCodes(), example.tagSystem(), example.autoTaggingRules(), example.groupTypes(),
                example.guardrails(), List.of(restock), example.sopCalendar(), example.community(),
                example.offboarding(), example.scripts(), example.membership(), example.scoring(), example.miniapp());
        MemoryQueue queue = new MemoryQueue();
        Ports ports = stack.ports(new CapacityMeter()).withMiniProgram(new WxJavaMiniProgram(
                stack.wecomSettings.miniProgramAppIdOrLocal(), SECRET, wechat.baseUrl()))
                .withQueues(queue, queue, new MemoryTimerStore());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Engine engine = new Engine(ports, config, stack.applied.version(), new CelConditionCompiler(), clock,
                Engine.Settings.inline());
        String tenant = config.tenant();
        String template = config.miniapp().template("repurchase_reminder").orElseThrow().templateId();
        String id = "mp-local-sub-1";
        String openid = MiniProgramStub.openidOf("local-sub-code-1");
        ports.customers().upsert(tenant, id, new CustomerProfile(tenant, id, "Li Na", null, "miniapp", null, null,
                null, Set.of(), Map.of(), Map.of("openid", openid), NOW.minus(Duration.ofDays(9)),
                NOW.minus(Duration.ofDays(9))), p -> p.withActivity(p.activity().consentGranted(
                NOW.minus(Duration.ofDays(8))), NOW), List.of());
        // The tap on "allow": WeChat learns it on the phone, the Mini Program reports it to the member route.
        wechat.subscribed(openid, template);
        ports.subscriptions().answered(tenant, id, template, SubscriptionStore.Answer.ACCEPT, NOW);
        // One more accept we counted that WeChat does not have: its send is refused with 43101.
        ports.subscriptions().answered(tenant, id, template, SubscriptionStore.Answer.ACCEPT, NOW);

        StepRunner.Outcome first = run(engine, queue, tenant, id, NOW.minus(Duration.ofMinutes(2)));
        StepRunner.Outcome second = run(engine, queue, tenant, id, NOW.minus(Duration.ofMinutes(1)));

        assertThat(first).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(second).isEqualTo(StepRunner.Outcome.DONE);
        List<JsonNode> sent = wechat.sent();
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.path("touser").asText()).isEqualTo(openid);
            assertThat(m.path("template_id").asText()).isEqualTo(template);
            assertThat(m.path("page").asText()).isEqualTo("pages/repurchase/index");
            assertThat(m.path("data").path("thing1").path("value").asText()).hasSize(20);
        });
        assertThat(timeline(tenant, id, ActionPerformer.SUBSCRIPTION_SENT)).hasSize(1);
        assertThat(timeline(tenant, id, ActionPerformer.SUBSCRIPTION_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.details().get("reason")).contains("43101"));
        assertThat(timeline(tenant, id, "outreach_dropped")).as("the normal way needs a WeCom friend")
                .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("rule", "RELATIONSHIP"));
        assertThat(ports.subscriptions().subscription(tenant, id, template).orElseThrow().remaining()).isZero();
    }

    /** A run started by a trigger at {@code at} (its run id is made from it) and its one step, run now. */
    private static StepRunner.Outcome run(Engine engine, MemoryQueue queue, String tenant, String id, Instant at) {
        engine.journeys().starter.onEvent(new JourneyTrigger(tenant, id, "restock_due", at, Map.of()));
        DueStep due = queue.sent().stream().map(MemoryQueue.Sent::step).filter(s -> s != null)
                .reduce((a, b) -> b).orElseThrow();
        return engine.journeys().steps.run(due);
    }

    private static List<TimelineEvent> timeline(String tenant, String id, String kind) {
        return stack.customers.timeline(tenant, id).stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
