package dev.siyu.core.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.SubscriptionStore;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.DueStep;
import dev.siyu.memory.MemoryMiniProgram;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import dev.siyu.memory.faults.Faults;
import dev.siyu.memory.faults.InstanceCrash;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A journey message step that may go as a Mini Program subscription message ({@code subscription:} on the step),
 * run by the engine on the in-memory ports: out through subscribeMessage.send when the member has a live one-time
 * subscription (no WeCom budget spent, one subscription used), its normal way (the staff desk) without one or
 * when WeChat answers 43101, never past a consent withdrawal, and exactly once when the process dies around the
 * send.
 */
class SubscriptionStepTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = EXAMPLE.tenant();
    /** Tuesday 11:00 in Shanghai: inside business hours. */
    private static final Instant T0 = Instant.parse("2026-06-02T03:00:00Z");
    private static final String TEMPLATE = EXAMPLE.miniapp().template("repurchase_reminder").orElseThrow()
            .templateId();
    private static final String TEXT = "Running low on your serum? Restock at your member price this week.";
    private static final String OPENID = "oMember000000000000000000001";

    private final VirtualClock clock = new VirtualClock(T0);
    private final MemoryQueue queue = new MemoryQueue();
    private final RecordingWeComApi wecom = new RecordingWeComApi(clock);
    private final MemoryMiniProgram wechat = new MemoryMiniProgram(clock);
    /** Where the next crash strikes: "send-before", "send-after", "take-before"; null: none. */
    private final AtomicReference<String> crash = new AtomicReference<>();
    private final Ports memory = MemoryPorts.create(wecom).withQueues(queue, queue, new MemoryTimerStore());
    private final Ports ports = withCrashes(memory);

    private static ScrmConfig config(ContentClass content) {
        Journey restock = new Journey("restock_nudge", "a restock message, by subscription when the member has one",
                new Trigger(Trigger.Kind.EVENT, "restock_due", null, null), List.of(new JourneyStep("restock message",
                Duration.ZERO, false, null, new Action.SendMessage(Action.MessageKind.TEXT, content, TEXT, null, null,
                null, "repurchase_reminder"))), null, null, Map.of(), null, false, null);
        return new ScrmConfig(EXAMPLE.tenant(), EXAMPLE.timezone(), EXAMPLE.staff(), EXAMPLE.stores(),
                EXAMPLE.channelCodes(), EXAMPLE.tagSystem(), EXAMPLE.autoTaggingRules(), EXAMPLE.groupTypes(),
                EXAMPLE.guardrails(), List.of(restock), EXAMPLE.sopCalendar(), EXAMPLE.community(),
                EXAMPLE.offboarding(), EXAMPLE.scripts(), EXAMPLE.membership(), EXAMPLE.scoring(), EXAMPLE.miniapp());
    }

    private Engine engine(ContentClass content) {
        return new Engine(ports, config(content), 1, expression -> {
            throw new UnsupportedOperationException("this journey has no conditions: " + expression);
        }, clock, Engine.Settings.inline());
    }

    /** The ports with a process crash armed for the Mini Program's send or the store's take. */
    private Ports withCrashes(Ports p) {
        MiniProgram sending = (MiniProgram) Proxy.newProxyInstance(MiniProgram.class.getClassLoader(),
                new Class<?>[] {MiniProgram.class}, (proxy, method, args) -> {
                    boolean send = method.getName().equals("sendSubscription");
                    if (send && crash.compareAndSet("send-before", null)) {
                        throw new InstanceCrash("before subscribeMessage.send");
                    }
                    Object out = invoke(method, wechat, args);
                    if (send && crash.compareAndSet("send-after", null)) {
                        throw new InstanceCrash("after subscribeMessage.send, before its answer was used");
                    }
                    return out;
                });
        SubscriptionStore taking = (SubscriptionStore) Proxy.newProxyInstance(SubscriptionStore.class.getClassLoader(),
                new Class<?>[] {SubscriptionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("take") && crash.compareAndSet("take-before", null)) {
                        throw new InstanceCrash("before the subscription was taken");
                    }
                    Object r = invoke(method, p.subscriptions(), args);
                    if (method.getName().equals("refused") && crash.compareAndSet("refused-after", null)) {
                        throw new InstanceCrash("after the 43101 was recorded");
                    }
                    return r;
                });
        return new Ports(p.customers(), p.snapshots(), p.profiles(), p.runs(), p.counters(), p.decisions(), p.groups(),
                p.channels(), p.loads(), p.transfers(), p.tenantLog(), p.timers(), p.steps(), p.triggers(), p.configs(),
                p.wecom(), p.media(), p.desk(), taking, sending);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A member known by openid, with marketing consent, and (friend) Zhang San's WeCom contact. */
    private String member(String id, boolean friend) {
        Map<String, StaffRelationship> staff = friend ? Map.of("zhangsan", StaffRelationship.started("zhangsan", "s",
                T0.minus(Duration.ofDays(30)), false)) : Map.of();
        Map<String, String> ids = new HashMap<>(Map.of("openid", OPENID + id));
        if (friend) {
            ids.put("external_userid", "wm-" + id);
        }
        CustomerProfile p = new CustomerProfile(TENANT, id, "Wang Fang", null, "miniapp", null, null, null, Set.of(),
                staff, ids, T0.minus(Duration.ofDays(60)), T0.minus(Duration.ofDays(60)));
        ports.customers().upsert(TENANT, id, p, c -> c.withActivity(c.activity().consentGranted(
                T0.minus(Duration.ofDays(10))), T0), List.of());
        return id;
    }

    /** The member accepted the template n times in wx.requestSubscribeMessage: WeChat knows it, and so do we. */
    private void subscribed(String id, int n) {
        for (int i = 0; i < n; i++) {
            wechat.subscribed(OPENID + id, TEMPLATE);
            memory.subscriptions().answered(TENANT, id, TEMPLATE, SubscriptionStore.Answer.ACCEPT, T0);
        }
    }

    private DueStep started(Engine engine, String id) {
        engine.journeys().starter.onEvent(new JourneyTrigger(TENANT, id, "restock_due", clock.instant(), Map.of()));
        return queue.sent().stream().map(MemoryQueue.Sent::step).filter(s -> s != null && s.customerId().equals(id))
                .reduce((a, b) -> b).orElseThrow();
    }

    private int remaining(String id) {
        return memory.subscriptions().subscription(TENANT, id, TEMPLATE).map(s -> s.remaining()).orElse(0);
    }

    private List<TimelineEvent> timeline(String id, String kind) {
        return memory.customers().timeline(TENANT, id).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    private List<TouchRecord> touches(String id) {
        return memory.counters().touches(TENANT, id);
    }

    private int massMessagesThisMonth(String id) {
        return memory.counters().read(TENANT, id, clock.instant(), ZoneId.of("Asia/Shanghai"), 10).counters()
                .massMessagesThisMonth();
    }

    @Test
    void aMemberWithALiveSubscriptionGetsTheStepAsASubscriptionMessageWithoutSpendingWeComBudget() {
        Engine engine = engine(ContentClass.PROMOTIONAL);
        String id = member("c-sub-1", false);
        subscribed(id, 2);

        StepRunner.Outcome outcome = engine.journeys().steps.run(started(engine, id));

        assertThat(outcome).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(wechat.sentSubscriptions()).singleElement().satisfies(m -> {
            assertThat(m.openid()).isEqualTo(OPENID + id);
            assertThat(m.templateId()).isEqualTo(TEMPLATE);
            assertThat(m.page()).isEqualTo("pages/repurchase/index");
            assertThat(m.data().get("thing1")).as("a thing keyword is cut to WeChat's 20 characters")
                    .hasSize(20).startsWith("Running low on");
            assertThat(m.data()).containsEntry("date2", "2026-06-02").containsEntry("thing3", "Tap to restock");
        });
        assertThat(remaining(id)).as("one of the two accepts used").isEqualTo(1);
        assertThat(timeline(id, ActionPerformer.SUBSCRIPTION_SENT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("channel", "subscription_message")
                        .containsEntry("subscription", "repurchase_reminder"));
        assertThat(touches(id)).singleElement().satisfies(t -> {
            assertThat(t.channel()).isEqualTo(Channel.SUBSCRIPTION_MESSAGE);
            assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT);
            assertThat(t.journeyStep()).as("it counts against the weekly journey cap").isTrue();
        });
        assertThat(wecom.templates()).as("no add_msg_template").isEmpty();
        assertThat(massMessagesThisMonth(id)).isZero();
        assertThat(memory.desk().open(TENANT, "zhangsan")).isEmpty();
    }

    @Test
    void withoutALiveSubscriptionTheStepGoesItsNormalWay() {
        Engine engine = engine(ContentClass.VALUE);
        String id = member("c-sub-2", true);

        StepRunner.Outcome outcome = engine.journeys().steps.run(started(engine, id));

        assertThat(outcome).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(wechat.sentSubscriptions()).isEmpty();
        assertThat(timeline(id, ActionPerformer.DESK_TASK_CREATED)).hasSize(1);
        assertThat(memory.desk().open(TENANT, "zhangsan")).singleElement()
                .satisfies(t -> assertThat(t.text()).isEqualTo(TEXT));
        assertThat(touches(id)).extracting(TouchRecord::channel).containsExactly(Channel.PRIVATE_MESSAGE);
    }

    @Test
    void weChatsNoSubscriptionLeftIsRecordedAndTheStepGoesItsNormalWay() {
        Engine engine = engine(ContentClass.VALUE);
        String id = member("c-sub-3", true);
        // We counted an accept WeChat no longer has (the member used it elsewhere, or turned the template off).
        memory.subscriptions().answered(TENANT, id, TEMPLATE, SubscriptionStore.Answer.ACCEPT, T0);

        StepRunner.Outcome outcome = engine.journeys().steps.run(started(engine, id));

        assertThat(outcome).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(wechat.sentSubscriptions()).isEmpty();
        assertThat(memory.subscriptions().subscription(TENANT, id, TEMPLATE).orElseThrow())
                .satisfies(s -> {
                    assertThat(s.remaining()).isZero();
                    assertThat(s.lastResult()).isEqualTo("refused");
                });
        assertThat(timeline(id, ActionPerformer.SUBSCRIPTION_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.details().get("reason")).contains("43101"));
        assertThat(memory.desk().open(TENANT, "zhangsan")).hasSize(1);
        assertThat(touches(id)).extracting(TouchRecord::channel, TouchRecord::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Channel.SUBSCRIPTION_MESSAGE, TouchRecord.Status.CANCELLED),
                org.assertj.core.groups.Tuple.tuple(Channel.PRIVATE_MESSAGE, TouchRecord.Status.SENT));
    }

    @Test
    void aConsentWithdrawalBlocksAPromotionalSubscriptionMessage() {
        Engine engine = engine(ContentClass.PROMOTIONAL);
        String id = member("c-sub-4", false);
        subscribed(id, 1);
        ports.customers().update(TENANT, id, c -> c.withActivity(c.activity().consentWithdrawn(T0), T0), List.of());

        engine.journeys().steps.run(started(engine, id));

        assertThat(wechat.sentSubscriptions()).isEmpty();
        assertThat(remaining(id)).as("the subscription is not used by a message that did not go").isEqualTo(1);
        assertThat(timeline(id, "outreach_dropped")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("rule", "CONSENT").containsEntry("channel", "subscription_message"));
        assertThat(touches(id)).isEmpty();
    }

    @Test
    void aCrashBetweenTheTakeAndTheSendNeverSendsTwiceAndIsRecordedAsUnknown() {
        Engine engine = engine(ContentClass.VALUE);
        String id = member("c-sub-5", false);
        subscribed(id, 2);
        DueStep due = started(engine, id);
        crash.set("send-before");

        assertThatThrownBy(() -> engine.journeys().steps.run(due)).isInstanceOf(InstanceCrash.class);
        clock.advance(StepRunner.LEASE.plusSeconds(1));
        StepRunner.Outcome again = engine.journeys().steps.run(due);

        assertThat(again).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(wechat.sentSubscriptions()).as("not sent again: WeChat cannot be asked whether it went").isEmpty();
        assertThat(remaining(id)).as("one subscription used, once").isEqualTo(1);
        assertThat(timeline(id, ActionPerformer.SUBSCRIPTION_SENT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reconciled", "unknown"));
        assertThat(touches(id)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT);
            assertThat(t.outcome()).isEqualTo("unknown");
        });
        assertThat(engine.journeys().steps.run(due)).isEqualTo(StepRunner.Outcome.DUPLICATE);
    }

    @Test
    void aCrashAfterTheSendLeavesExactlyOneMessage() {
        Engine engine = engine(ContentClass.VALUE);
        String id = member("c-sub-6", false);
        subscribed(id, 2);
        DueStep due = started(engine, id);
        crash.set("send-after");

        assertThatThrownBy(() -> engine.journeys().steps.run(due)).isInstanceOf(InstanceCrash.class);
        clock.advance(StepRunner.LEASE.plusSeconds(1));
        engine.journeys().steps.run(due);
        engine.journeys().steps.run(due);

        assertThat(wechat.sentSubscriptions()).hasSize(1);
        assertThat(remaining(id)).isEqualTo(1);
        assertThat(timeline(id, ActionPerformer.SUBSCRIPTION_SENT)).hasSize(1);
    }

    @Test
    void aCrashBeforeTheTakeSendsOnceOnTheRedelivery() {
        Engine engine = engine(ContentClass.VALUE);
        String id = member("c-sub-7", false);
        subscribed(id, 2);
        DueStep due = started(engine, id);
        crash.set("take-before");

        assertThatThrownBy(() -> engine.journeys().steps.run(due)).isInstanceOf(InstanceCrash.class);
        clock.advance(StepRunner.LEASE.plusSeconds(1));
        StepRunner.Outcome again = engine.journeys().steps.run(due);

        assertThat(again).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(wechat.sentSubscriptions()).as("nothing was taken, so nothing went: it goes now").hasSize(1);
        assertThat(remaining(id)).isEqualTo(1);
        assertThat(touches(id)).singleElement().satisfies(t -> assertThat(t.outcome())
                .isEqualTo("subscription:" + TEMPLATE));
    }

    /**
     * Seeded faults on every port the step uses (stores failing before or after their write, the send failing
     * before WeChat or after it took the message, the process dying around any call): whatever strikes, the
     * redeliveries end the step with at most one message, one subscription used, one record of it as sent.
     */
    @Test
    void underSeededFaultsTheStepSendsAtMostOnceAndRecordsItOnce() {
        int sentSomewhere = 0;
        int unknown = 0;
        long faultsInjected = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Faults faults = new Faults(seed, 0.1);
            VirtualClock c = new VirtualClock(T0);
            MemoryQueue q = new MemoryQueue();
            MemoryMiniProgram mp = new MemoryMiniProgram(c);
            Ports plain = MemoryPorts.create(new RecordingWeComApi(c)).withQueues(q, q, new MemoryTimerStore())
                    .withMiniProgram(mp);
            Engine faulty = new Engine(faults.wrap(plain), config(ContentClass.VALUE), 1, expression -> {
                throw new UnsupportedOperationException(expression);
            }, c, Engine.Settings.inline());
            String id = "c-seed-" + seed;
            faults.without(() -> {
                CustomerProfile p = new CustomerProfile(TENANT, id, "Li Na", null, "miniapp", null, null, null,
                        Set.of(), Map.of(), Map.of("openid", OPENID + id), T0.minus(Duration.ofDays(60)),
                        T0.minus(Duration.ofDays(60)));
                plain.customers().upsert(TENANT, id, p, x -> x.withActivity(x.activity().consentGranted(
                        T0.minus(Duration.ofDays(10))), T0), List.of());
                for (int i = 0; i < 2; i++) {
                    mp.subscribed(OPENID + id, TEMPLATE);
                    plain.subscriptions().answered(TENANT, id, TEMPLATE, SubscriptionStore.Answer.ACCEPT, T0);
                }
                new Engine(plain, config(ContentClass.VALUE), 1, e -> null, c, Engine.Settings.inline()).journeys()
                        .starter.onEvent(new JourneyTrigger(TENANT, id, "restock_due", c.instant(), Map.of()));
                return null;
            });
            DueStep due = q.sent().stream().map(MemoryQueue.Sent::step).filter(x -> x != null).findFirst()
                    .orElseThrow();
            StepRunner.Outcome outcome = null;
            for (int delivery = 0; delivery < 100 && outcome == null; delivery++) {
                try {
                    outcome = faulty.journeys().steps.run(due);
                } catch (RuntimeException | InstanceCrash failed) {
                    c.advance(StepRunner.LEASE.plusSeconds(1));
                }
            }
            faults.stop();
            String touch = "restock_nudge#" + id;
            List<TouchRecord> records = plain.counters().touches(TENANT, id).stream()
                    .filter(t -> t.channel() == Channel.SUBSCRIPTION_MESSAGE).toList();
            List<TimelineEvent> sentEvents = plain.customers().timeline(TENANT, id).stream()
                    .filter(e -> e.kind().equals(ActionPerformer.SUBSCRIPTION_SENT)).toList();
            int remaining = plain.subscriptions().subscription(TENANT, id, TEMPLATE).orElseThrow().remaining();
            String why = "seed " + seed + " (" + faults.counts() + ")";
            assertThat(outcome).as(why).isIn(StepRunner.Outcome.DONE, StepRunner.Outcome.DUPLICATE);
            assertThat(mp.sentSubscriptions()).as(why).hasSizeLessThanOrEqualTo(1);
            assertThat(records).as(why).singleElement().satisfies(r -> {
                assertThat(r.id()).startsWith(touch);
                assertThat(r.status()).isEqualTo(TouchRecord.Status.SENT);
            });
            assertThat(sentEvents).as(why).hasSize(1);
            assertThat(remaining).as(why + ": one subscription used, once").isEqualTo(1);
            if (mp.sentSubscriptions().size() == 1 && !"unknown".equals(records.get(0).outcome())) {
                assertThat(records.get(0).outcome()).as(why).isEqualTo("subscription:" + TEMPLATE);
            }
            sentSomewhere += mp.sentSubscriptions().size();
            unknown += "unknown".equals(records.get(0).outcome()) ? 1 : 0;
            faultsInjected += faults.counts().values().stream().mapToLong(Long::longValue).sum();
        }
        System.out.println("subscription step under faults: 60 seeds, " + faultsInjected + " faults injected, "
                + sentSomewhere + " messages sent (none twice), " + unknown + " recorded as possibly sent (unknown)");
        assertThat(sentSomewhere).as("most seeds deliver the message").isGreaterThan(30);
    }

    @Test
    void a43101FollowedByACrashStillSendsTheStepItsNormalWay() {
        Engine engine = engine(ContentClass.VALUE);
        String id = member("c-rev-1", true);
        memory.subscriptions().answered(TENANT, id, TEMPLATE, SubscriptionStore.Answer.ACCEPT, T0);
        DueStep due = started(engine, id);
        crash.set("refused-after");

        assertThatThrownBy(() -> engine.journeys().steps.run(due)).isInstanceOf(InstanceCrash.class);
        clock.advance(StepRunner.LEASE.plusSeconds(1));
        engine.journeys().steps.run(due);

        assertThat(wechat.sentSubscriptions()).as("WeChat refused: nothing reached the member").isEmpty();
        assertThat(timeline(id, ActionPerformer.SUBSCRIPTION_SENT)).as("not recorded as sent").isEmpty();
        assertThat(memory.desk().open(TENANT, "zhangsan")).as("the step went its normal way").hasSize(1);
    }
}
