package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.journey.JourneyServices;
import dev.siyu.core.journey.StepBusy;
import dev.siyu.core.journey.StepRunner;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.StepCommit;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.TimerSweep;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once journey steps and at-most-once sends under the failures a worker meets (issue 10, items 5, 6, 8
 * and 14): a commit that fails after the send, a WeCom answer lost after WeCom accepted the task, a crash
 * between the lease and the commit, a lost hand-off, two steps racing for one cap slot, two triggers at once.
 */
class ExactlyOnceStepTest {
    static final String JOURNEY = "new_customer_activation";
    static final String TEMPLATE = "externalcontact/add_msg_template";
    static final Instant MONDAY_10 = Instant.parse("2024-03-04T02:00:00Z");

    /** A process crash: no handler in the engine catches it (the fault injector throws the like). */
    static final class Crash extends Error {
        Crash() {
            super("instance died");
        }
    }

    /** The first call of method fails with what failure makes, before or after the call reaches WeCom. */
    static Function<dev.siyu.memory.RecordingWeComApi, WeComApi> firstCall(String method, boolean afterWeComGotIt,
                                                                          java.util.function.Supplier<Throwable> failure) {
        return delegate -> {
            AtomicBoolean failed = new AtomicBoolean();
            return (WeComApi) Proxy.newProxyInstance(WeComApi.class.getClassLoader(), new Class<?>[] {WeComApi.class},
                    (proxy, m, args) -> {
                        if (m.getName().equals("touching")) {
                            return proxy;
                        }
                        boolean fail = m.getName().equals(method) && failed.compareAndSet(false, true);
                        if (fail && !afterWeComGotIt) {
                            throw failure.get();
                        }
                        Object answer;
                        try {
                            answer = m.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (fail) {
                            throw failure.get();
                        }
                        return answer;
                    });
        };
    }

    private static DueStep firstStep(JourneyHarness h, String customer) {
        h.added(customer);
        List<DueStep> steps = h.takeVisibleSteps();
        assertThat(steps).hasSize(1);
        return steps.get(0);
    }

    @Test
    void aDeskMessageWhoseNoticeTimedOutAfterWeComSentItIsLeftOnceAndNotNotifiedAgain() {
        // GIVEN the welcome message goes to zhangsan's desk, and WeCom sends his notice but its answer is lost
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                firstCall("notifyStaff", true, () -> new WeComApiException(-1, "read timed out", null)));
        DueStep first = firstStep(h, "c1");

        // WHEN the step fails on it and the queue hands it over again
        assertThatThrownBy(() -> h.engine.steps.run(first)).isInstanceOf(WeComApiException.class);
        h.clock.set(h.now().plusSeconds(30));
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DONE);

        // THEN one task on the desk, one notice, one event, one record settled with the task
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.calls("message/send")).hasSize(1);
        assertThat(h.calls(TEMPLATE)).isEmpty();
        assertThat(h.events("c1", "desk_task_created")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsKey("reconciled"));
        assertThat(h.onlyRun("c1", JOURNEY).step()).isEqualTo(1);
        assertThat(h.counters.touches(h.tenant, "c1")).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT);
            assertThat(t.outcome()).isEqualTo("desk:" + h.deskTasks("c1").get(0).id());
        });
    }

    @Test
    void aDeskMessageWhoseNoticeNeverReachedWeComIsStillLeftOnce() {
        // GIVEN the notice of the first desk message never reaches WeCom (connection refused)
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                firstCall("notifyStaff", false, () -> new WeComApiException(-1, "connection refused", null)));
        DueStep first = firstStep(h, "c1");

        assertThatThrownBy(() -> h.engine.steps.run(first)).isInstanceOf(WeComApiException.class);
        h.clock.set(h.now().plusSeconds(30));
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DUPLICATE);

        // THEN the redelivery found the task it made: one task, one event, one cap slot
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.events("c1", "desk_task_created")).hasSize(1);
        assertThat(h.counters.touches(h.tenant, "c1")).as("one record, one cap slot").hasSize(1);
        assertThat(h.calls("message/send")).as("at most once").hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aStepWhoseCommitFailsAfterTheSendIsRetriedAndSendsNothingMore() {
        // GIVEN the step's commit fails (DynamoDB throttled it) after the message went out
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        FailingCommit runs = new FailingCommit(h.runs);
        h.engine = new JourneyServices(h.config, JourneyHarness.fixedCatalog(h.config, 1), ExampleConfig.CEL,
                h.customers, runs, h.counters, h.decisions, h.groups, h.wecom, h.scheduler, h.clock, h.ids, h.desk);
        DueStep first = firstStep(h, "c1");

        assertThatThrownBy(() -> h.engine.steps.run(first)).hasMessageContaining("throttled");
        assertThat(h.deskTasks()).hasSize(1);
        assertThat(h.onlyRun("c1", JOURNEY).leaseOwner()).as("the failed delivery gave its lease back").isNull();

        // WHEN it is redelivered
        h.clock.set(h.now().plusSeconds(30));
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DONE);

        // THEN nothing more was sent, and the step is done once
        assertThat(h.deskTasks()).hasSize(1);
        assertThat(h.events("c1", "desk_task_created")).hasSize(1);
        assertThat(h.onlyRun("c1", JOURNEY).step()).isEqualTo(1);
    }

    @Test
    void aCrashBetweenTheLeaseAndTheCommitIsTakenOverOnceTheLeaseExpires() {
        // GIVEN the instance dies right after the desk task was made and WeCom sent the staff member's notice
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, MONDAY_10, TimerSweep.Settings.defaults(),
                firstCall("notifyStaff", true, Crash::new));
        DueStep first = firstStep(h, "c1");
        assertThatThrownBy(() -> h.engine.steps.run(first)).isInstanceOf(Crash.class);

        // WHEN the queue hands the step over while the dead instance's lease still holds
        h.clock.set(h.now().plusSeconds(30));
        // THEN the delivery is not acknowledged: it comes back
        assertThatThrownBy(() -> h.engine.steps.run(first)).isInstanceOf(StepBusy.class);

        // WHEN it comes back after the lease expired
        h.clock.set(MONDAY_10.plus(StepRunner.LEASE).plusSeconds(1));
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DONE);

        // THEN the step was taken over and finished without a second task or notice
        assertThat(h.deskTasks("c1")).hasSize(1);
        assertThat(h.calls("message/send")).hasSize(1);
        assertThat(h.events("c1", "desk_task_created")).hasSize(1);
        assertThat(h.onlyRun("c1", JOURNEY).step()).isEqualTo(1);
        assertThat(h.timers.placed).as("the next step is scheduled").hasSize(1);
    }

    @Test
    void aHandOffLostAfterTheCommitIsMadeAgainByTheRedelivery() {
        // GIVEN placing the next step's timer fails once, after the step committed
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        DueStep first = firstStep(h, "c1");
        h.timers.failPuts.set(1);
        assertThatThrownBy(() -> h.engine.steps.run(first)).hasMessageContaining("timer write failed");
        assertThat(h.onlyRun("c1", JOURNEY).step()).as("committed").isEqualTo(1);
        assertThat(h.timers.placed).as("but nothing waits for step 1").isEmpty();

        // WHEN the unacknowledged step comes back after the visibility timeout
        h.clock.set(h.now().plus(Duration.ofSeconds(180)));
        assertThat(h.engine.steps.run(first)).isEqualTo(StepRunner.Outcome.DUPLICATE);

        // THEN step 1 is scheduled, and step 0 sent nothing more
        assertThat(h.timers.placed).singleElement().satisfies(t -> assertThat(t.step().step()).isEqualTo(1));
        assertThat(h.deskTasks()).hasSize(1);
    }

    @Test
    void aTriggerRedeliveredBeforeItsFirstStepWasScheduledSchedulesItAgain() {
        // GIVEN a trigger whose run was written, and whose first step was lost (the worker died before the queue)
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        h.customer("c1", h.now());
        JourneyTrigger trigger = new JourneyTrigger(h.tenant, "c1", "contact_added", h.now(), Map.of());
        h.engine.starter.onEvent(trigger);
        List<DueStep> lost = h.takeVisibleSteps();
        assertThat(lost).hasSize(1);

        // WHEN the trigger is delivered again right away, and again after the visibility timeout
        assertThat(h.engine.starter.onEvent(trigger)).isEmpty();
        assertThat(h.takeVisibleSteps()).as("a duplicate right away: the writer may still be scheduling").isEmpty();
        h.clock.set(h.now().plusSeconds(180));
        assertThat(h.engine.starter.onEvent(trigger)).isEmpty();

        // THEN no second run, and step 0 is on the queue again; both deliveries of it act once
        List<DueStep> again = h.takeVisibleSteps();
        assertThat(again).hasSize(1);
        assertThat(h.engine.steps.run(again.get(0))).isEqualTo(StepRunner.Outcome.DONE);
        assertThat(h.engine.steps.run(lost.get(0))).isEqualTo(StepRunner.Outcome.DUPLICATE);
        assertThat(h.runs("c1", JOURNEY)).hasSize(1);
        assertThat(h.deskTasks()).hasSize(1);
    }

    @Test
    void ofTwoStepsOfOneCustomerRacingForTheLastWeeklySlotOneSends() {
        // GIVEN a customer with two journey messages this week (the cap is 3) and two runs due at once
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        RacingCounters counters = new RacingCounters(h.counters);
        h.engine = new JourneyServices(h.config, JourneyHarness.fixedCatalog(h.config, 1), ExampleConfig.CEL,
                h.customers, h.runs, counters, h.decisions, h.groups, h.wecom, h.scheduler, h.clock, h.ids, h.desk);
        DueStep activation = firstStep(h, "c1");
        for (int i = 1; i <= 2; i++) {
            h.counters.record(h.tenant, new TouchRecord("c1", "earlier#" + i, h.now().minusSeconds(3_600L * i),
                    Channel.PRIVATE_MESSAGE, ContentClass.VALUE, true, i, ""), h.zone);
        }
        JourneyRun repurchase = JourneyRun.start(h.tenant, "c1", "repurchase_reminder", "purchase-1", 1, h.now(),
                Duration.ofDays(30), h.now());
        h.runs.start(repurchase, 0, List.of());
        DueStep survey = new DueStep(h.tenant, "c1", "repurchase_reminder", "purchase-1", 0, h.now(),
                Map.of("version", "1"));

        // WHEN the survey step takes the slot between the activation step's decision and its reservation
        counters.beforeFirstReserve = () -> assertThat(h.engine.steps.run(survey)).isEqualTo(StepRunner.Outcome.DONE);
        StepRunner.Outcome activationOutcome = h.engine.steps.run(activation);

        // THEN one message went to the desk; the other step, deciding again on what is there now, waits for next week
        assertThat(h.deskTasks()).hasSize(1);
        assertThat(activationOutcome).isEqualTo(StepRunner.Outcome.DEFERRED);
        assertThat(h.events("c1", "outreach_deferred")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("journey", JOURNEY));
    }

    @Test
    void twoContactAddedTriggersHandledAtOnceStartOneRun() {
        // GIVEN a customer who added two staff members at nearly the same moment
        JourneyHarness h = new JourneyHarness(MONDAY_10);
        h.customer("c1", h.now());
        JourneyTrigger viaZhang = new JourneyTrigger(h.tenant, "c1", "contact_added", h.now(), Map.of("staff", "zhangsan"));
        JourneyTrigger viaLi = new JourneyTrigger(h.tenant, "c1", "contact_added", h.now().plusMillis(400),
                Map.of("staff", "lisi"));
        RacingStarts runs = new RacingStarts(h.runs);
        h.engine = new JourneyServices(h.config, JourneyHarness.fixedCatalog(h.config, 1), ExampleConfig.CEL,
                h.customers, runs, h.counters, h.decisions, h.groups, h.wecom, h.scheduler, h.clock, h.ids, h.desk);

        // WHEN the second trigger's worker starts its run between the first one's read and its start
        runs.beforeFirstStart = () -> h.engine.starter.onEvent(viaLi);
        h.engine.starter.onEvent(viaZhang);

        // THEN one activation run, one first step: the gift pack goes out once
        assertThat(h.runs("c1", JOURNEY)).hasSize(1);
        assertThat(h.events("c1", "journey_started")).filteredOn(e -> JOURNEY.equals(e.details().get("journey")))
                .hasSize(1);
        h.runUntil(h.now().plusSeconds(60));
        assertThat(h.deskTasks()).hasSize(1);
    }

    @Test
    void aMomentsPostWhoseAnswerWasLostIsFoundInWeComsListNotPostedAgain() {
        // GIVEN WeCom accepts the day's Moments post but its answer is lost, and a customer silent for 30 days
        JourneyHarness h = new JourneyHarness(ExampleConfig.CONFIG, Instant.parse("2024-01-01T02:00:00Z"),
                TimerSweep.Settings.defaults(),
                firstCall("addMomentTask", true, () -> new WeComApiException(-1, "read timed out", null)));
        h.customer("c1", h.now());
        h.clock.set(h.local(2024, 1, 31, 10, 0));
        assertThat(h.engine.starter.check(h.profile("c1"), h.now())).hasSize(1);
        List<DueStep> steps = h.takeVisibleSteps();
        assertThat(steps).hasSize(1);
        Instant failedAt = h.now();
        assertThatThrownBy(() -> h.engine.steps.run(steps.get(0))).isInstanceOf(WeComApiException.class);

        // WHEN the step comes back while the post's intent is fresh, then after it could have been taken over
        h.clock.set(failedAt.plusSeconds(30));
        assertThatThrownBy(() -> h.engine.steps.run(steps.get(0))).isInstanceOf(StepBusy.class);
        h.clock.set(failedAt.plus(StepRunner.LEASE).plusSeconds(1));
        assertThat(h.engine.steps.run(steps.get(0))).isEqualTo(StepRunner.Outcome.DONE);

        // THEN the post went out once, found in get_moment_list, and the customer sees it through the tag
        assertThat(h.calls("externalcontact/add_moment_task")).hasSize(1);
        assertThat(h.events("c1", "moments_post_visible")).hasSize(1);
        assertThat(h.profile("c1").tags()).contains("dormant_customer");
    }

    /** Run store whose first step commit fails before it takes effect. */
    static final class FailingCommit extends Delegating {
        private final AtomicBoolean failed = new AtomicBoolean();

        FailingCommit(JourneyRunStore delegate) {
            super(delegate);
        }

        @Override
        public boolean advance(StepCommit.RunChange change) {
            if (change.next() > change.step() && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("ProvisionedThroughputExceeded: throttled");
            }
            return super.advance(change);
        }
    }

    /** Run store that lets another trigger start its run just before the first start. */
    static final class RacingStarts extends Delegating {
        Runnable beforeFirstStart = () -> { };

        RacingStarts(JourneyRunStore delegate) {
            super(delegate);
        }

        @Override
        public boolean start(JourneyRun run, int seen, List<JourneyRun> superseding) {
            Runnable first = beforeFirstStart;
            beforeFirstStart = () -> { };
            first.run();
            return super.start(run, seen, superseding);
        }
    }

    static class Delegating implements JourneyRunStore {
        private final JourneyRunStore d;

        Delegating(JourneyRunStore d) {
            this.d = d;
        }

        @Override
        public boolean start(JourneyRun run, int seen, List<JourneyRun> superseding) {
            return d.start(run, seen, superseding);
        }

        @Override
        public Optional<JourneyRun> run(String tenant, String customerId, String journey, String runId) {
            return d.run(tenant, customerId, journey, runId);
        }

        @Override
        public List<JourneyRun> runs(String tenant, String customerId) {
            return d.runs(tenant, customerId);
        }

        @Override
        public boolean lease(String tenant, String customerId, String journey, String runId, int step, String owner,
                             Instant now, Instant until) {
            return d.lease(tenant, customerId, journey, runId, step, owner, now, until);
        }

        @Override
        public boolean advance(StepCommit.RunChange change) {
            return d.advance(change);
        }

        @Override
        public boolean goalReached(String tenant, String customerId, String journey, String runId, Instant at) {
            return d.goalReached(tenant, customerId, journey, runId, at);
        }
    }

    /** Touch records where another step gets to reserve just before the first reservation. */
    static final class RacingCounters implements OutreachCounters {
        private final OutreachCounters d;
        Runnable beforeFirstReserve = () -> { };

        RacingCounters(OutreachCounters d) {
            this.d = d;
        }

        @Override
        public List<TouchRecord> touches(String tenant, String customerId) {
            return d.touches(tenant, customerId);
        }

        @Override
        public void record(String tenant, TouchRecord touch, ZoneId tenantZone) {
            d.record(tenant, touch, tenantZone);
        }

        @Override
        public boolean reserve(String tenant, TouchRecord intent, ZoneId tenantZone) {
            Runnable first = beforeFirstReserve;
            beforeFirstReserve = () -> { };
            first.run();
            return d.reserve(tenant, intent, tenantZone);
        }
    }
}
