package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.StepCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoJourneyRunStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00.123Z");

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoJourneyRunStore runs;

    @BeforeAll
    void startDynamoDb() {
        runs = new DynamoJourneyRunStore(aws.dynamo(), LocalAws.TABLE, meter);
    }

    @BeforeEach
    void resetMeter() {
        meter.reset();
    }

    private static JourneyRun welcome(String customerId, String runId) {
        return JourneyRun.start("acme", customerId, "welcome", runId, 3, T0, Duration.ofDays(30), T0);
    }

    /** The commit of step from, moving the run on (no lease: nobody may hold one). */
    private boolean step(String customerId, String runId, int from) {
        return runs.advance(new StepCommit.RunChange("acme", customerId, "welcome", runId, from, null, from + 1, null,
                null, T0));
    }

    @Test
    void aStartedRunReadsBackAsStarted() {
        JourneyRun run = welcome("c-read", "contact_added-1");

        assertThat(runs.start(run, 0, List.of())).isTrue();

        assertThat(runs.run("acme", "c-read", "welcome", "contact_added-1")).contains(run);
        assertThat(runs.run("other", "c-read", "welcome", "contact_added-1")).isEmpty();
        assertThat(runs.run("acme", "c-read", "welcome", "contact_added-2")).isEmpty();
    }

    @Test
    void aDuplicatedTriggerDoesNotStartASecondRun() {
        JourneyRun run = welcome("c-dup", "contact_added-1");
        assertThat(runs.start(run, 0, List.of())).isTrue();
        step("c-dup", "contact_added-1", 0);

        assertThat(runs.start(run, 0, List.of())).isFalse();
        assertThat(runs.start(run, 1, List.of())).as("the run exists").isFalse();
        assertThat(runs.run("acme", "c-dup", "welcome", "contact_added-1").orElseThrow().step())
                .as("the duplicate did not reset the run to step 0").isEqualTo(1);
    }

    @Test
    void ofFiveWorkersLeasingTheSameStepExactlyOneWins() throws Exception {
        runs.start(welcome("c-race", "r1"), 0, List.of());
        step("c-race", "r1", 0);

        List<Boolean> won = Concurrently.run(5, i -> runs.lease("acme", "c-race", "welcome", "r1", 1, "w" + i, T0,
                T0.plusSeconds(120)));

        assertThat(won).containsOnlyOnce(true);
        JourneyRun leased = runs.run("acme", "c-race", "welcome", "r1").orElseThrow();
        assertThat(leased.step()).as("a lease does not move the run").isEqualTo(1);
        assertThat(leased.leaseOwner()).isEqualTo("w" + won.indexOf(true));
        assertThat(leased.leaseUntil()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void aLeaseHeldBlocksOthersUntilItExpiresThenTheStepIsTakenOverAndOnlyTheTakerCommits() {
        runs.start(welcome("c-crash", "r1"), 0, List.of());
        assertThat(runs.lease("acme", "c-crash", "welcome", "r1", 0, "dead", T0, T0.plusSeconds(120))).isTrue();

        assertThat(runs.lease("acme", "c-crash", "welcome", "r1", 0, "retry", T0.plusSeconds(30), T0.plusSeconds(150)))
                .as("held").isFalse();
        assertThat(step("c-crash", "r1", 0)).as("no commit without the lease while it is held").isFalse();
        assertThat(runs.lease("acme", "c-crash", "welcome", "r1", 0, "taker", T0.plusSeconds(121), T0.plusSeconds(241)))
                .as("expired: taken over").isTrue();

        assertThat(runs.advance(new StepCommit.RunChange("acme", "c-crash", "welcome", "r1", 0, "dead", 1, null, null,
                T0.plusSeconds(122)))).as("the dead owner's late commit").isFalse();
        assertThat(runs.advance(new StepCommit.RunChange("acme", "c-crash", "welcome", "r1", 0, "taker", 1, null, null,
                T0.plusSeconds(122)))).isTrue();
        JourneyRun moved = runs.run("acme", "c-crash", "welcome", "r1").orElseThrow();
        assertThat(moved.step()).isEqualTo(1);
        assertThat(moved.leaseOwner()).as("the commit frees the lease").isNull();
        assertThat(moved.steppedAt()).isEqualTo(T0.plusSeconds(122));
    }

    @Test
    void aLeaseGivenBackLetsTheRetryLeaseAtOnce() {
        runs.start(welcome("c-retry", "r1"), 0, List.of());
        assertThat(runs.lease("acme", "c-retry", "welcome", "r1", 0, "first", T0, T0.plusSeconds(120))).isTrue();

        assertThat(runs.advance(new StepCommit.RunChange("acme", "c-retry", "welcome", "r1", 0, "first", 0, null, null,
                T0.plusSeconds(1)))).isTrue();

        assertThat(runs.run("acme", "c-retry", "welcome", "r1").orElseThrow().step()).isZero();
        assertThat(runs.lease("acme", "c-retry", "welcome", "r1", 0, "retry", T0.plusSeconds(2), T0.plusSeconds(122)))
                .isTrue();
    }

    @Test
    void ofTwoTriggersStartingTheJourneyAtOnceOneStartsItsRun() throws Exception {
        List<Boolean> started = Concurrently.run(2, i -> runs.start(welcome("c-two-staff", "contact_added-" + i), 0,
                List.of()));

        assertThat(started).containsOnlyOnce(true);
        assertThat(runs.runs("acme", "c-two-staff")).hasSize(1);
    }

    @Test
    void aRestartWaitsForTheOldStepsLeaseAndIsAcceptedWhenRetriedAfterIt() {
        JourneyRun first = welcome("c-leased", "r1");
        assertThat(runs.start(first, 0, List.of())).isTrue();
        assertThat(runs.lease("acme", "c-leased", "welcome", "r1", 0, "worker-1", T0, T0.plusSeconds(120))).isTrue();
        JourneyRun leased = runs.run("acme", "c-leased", "welcome", "r1").orElseThrow();
        // the trigger happened at T0+5 s, while the step was held
        JourneyRun second = JourneyRun.start("acme", "c-leased", "welcome", "r2", 3, T0, null, T0.plusSeconds(5));

        assertThat(runs.start(second.steppedTo(0, T0.plusSeconds(6)), 1, List.of(leased))).isFalse();
        // retried by the queue after the lease lapsed: the same trigger, written later
        assertThat(runs.start(second.steppedTo(0, T0.plusSeconds(200)), 1, List.of(leased))).isTrue();
        assertThat(runs.run("acme", "c-leased", "welcome", "r1").orElseThrow().endReason()).isEqualTo("superseded");
    }

    @Test
    void aRestartSupersedesTheActiveRunInTheSameWrite() {
        JourneyRun first = welcome("c-restart", "r1");
        assertThat(runs.start(first, 0, List.of())).isTrue();
        JourneyRun second = JourneyRun.start("acme", "c-restart", "welcome", "r2", 3, T0, null, T0.plusSeconds(5));

        assertThat(runs.start(second, 0, List.of(first))).as("the marker counts one run now").isFalse();
        assertThat(runs.start(second, 1, List.of(first))).isTrue();

        assertThat(runs.run("acme", "c-restart", "welcome", "r1").orElseThrow().endReason()).isEqualTo("superseded");
        assertThat(runs.run("acme", "c-restart", "welcome", "r2").orElseThrow().active()).isTrue();
    }

    /** Ends a welcome run at a step as a step's commit does (the only way production ends a run). */
    private boolean end(String customer, String runId, int atStep, JourneyRun.Status status, String reason,
                        Instant at) {
        return runs.advance(new StepCommit.RunChange("acme", customer, "welcome", runId, atStep, null, atStep, status,
                reason, at));
    }

    @Test
    void endingAtAStepThatWasClaimedMeanwhileFails() {
        runs.start(welcome("c-end", "r1"), 0, List.of());
        step("c-end", "r1", 0);

        assertThat(end("c-end", "r1", 0, JourneyRun.Status.EXITED, "exited: purchased",
                T0.plusSeconds(60))).isFalse();
        assertThat(runs.run("acme", "c-end", "welcome", "r1").orElseThrow().active()).isTrue();

        assertThat(end("c-end", "r1", 1, JourneyRun.Status.EXITED, "exited: purchased",
                T0.plusSeconds(60))).isTrue();
        JourneyRun ended = runs.run("acme", "c-end", "welcome", "r1").orElseThrow();
        assertThat(ended.status()).isEqualTo(JourneyRun.Status.EXITED);
        assertThat(ended.endReason()).isEqualTo("exited: purchased");
        assertThat(ended.endedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void anEndedRunCanNeitherBeEndedAgainNorClaimed() {
        runs.start(welcome("c-ended", "r1"), 0, List.of());
        assertThat(end("c-ended", "r1", 0, JourneyRun.Status.COMPLETED, "completed",
                T0.plusSeconds(5))).isTrue();

        assertThat(end("c-ended", "r1", 0, JourneyRun.Status.EXITED, "superseded",
                T0.plusSeconds(6))).isFalse();
        assertThat(runs.lease("acme", "c-ended", "welcome", "r1", 0, "w", T0, T0.plusSeconds(120))).isFalse();
        assertThat(runs.run("acme", "c-ended", "welcome", "r1").orElseThrow().endReason()).isEqualTo("completed");
    }

    @Test
    void theGoalIsRecordedOnce() {
        runs.start(welcome("c-goal", "r1"), 0, List.of());

        assertThat(runs.goalReached("acme", "c-goal", "welcome", "r1", T0.plusSeconds(3_600))).isTrue();
        assertThat(runs.goalReached("acme", "c-goal", "welcome", "r1", T0.plusSeconds(7_200))).isFalse();

        assertThat(runs.run("acme", "c-goal", "welcome", "r1").orElseThrow().goalReachedAt())
                .isEqualTo(T0.plusSeconds(3_600));
        assertThat(runs.goalReached("acme", "c-goal", "welcome", "no-such-run", T0))
                .as("no run item is created for a goal").isFalse();
        assertThat(runs.run("acme", "c-goal", "welcome", "no-such-run")).isEmpty();
    }

    @Test
    void runsAreTheCustomersOwnOldestFirstWhateverTheirJourney() {
        JourneyRun later = JourneyRun.start("acme", "c-list", "a_repurchase", "purchase-2", 4, T0, null,
                T0.plusSeconds(100));
        JourneyRun earlier = welcome("c-list", "contact_added-1");
        runs.start(later, 0, List.of());
        runs.start(earlier, 0, List.of());
        end("c-list", "contact_added-1", 0, JourneyRun.Status.COMPLETED, null, T0.plusSeconds(1));
        runs.start(welcome("c-someone-else", "contact_added-1"), 0, List.of());

        List<JourneyRun> found = runs.runs("acme", "c-list");

        assertThat(found).extracting(JourneyRun::runId).containsExactly("contact_added-1", "purchase-2");
        assertThat(found.get(0).status()).as("ended runs are listed too").isEqualTo(JourneyRun.Status.COMPLETED);
        assertThat(found.get(0).endReason()).isNull();
        assertThat(found.get(1)).isEqualTo(later);
        assertThat(runs.runs("acme", "c-nobody")).isEmpty();
    }

    @Test
    void journeyNamesWithTheKeySeparatorAreRefused() {
        assertThatThrownBy(() -> runs.start(JourneyRun.start("acme", "c", "a#b", "r", 1, T0, null, T0), 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaseCostsOneWriteUnitWonOrLost() {
        runs.start(welcome("c-cost", "r1"), 0, List.of());
        meter.reset();

        assertThat(runs.lease("acme", "c-cost", "welcome", "r1", 0, "a", T0, T0.plusSeconds(120))).isTrue();
        CapacityMeter.Snapshot won = meter.snapshot();
        assertThat(runs.lease("acme", "c-cost", "welcome", "r1", 0, "b", T0, T0.plusSeconds(120))).isFalse();
        CapacityMeter.Snapshot lost = meter.snapshot().minus(won);
        meter.reset();
        runs.run("acme", "c-cost", "welcome", "r1");
        double read = meter.reads();
        meter.reset();
        runs.runs("acme", "c-cost");
        double list = meter.reads();

        System.out.printf("journey run, DynamoDB Local: lease won %.1f WCU, lease lost %.1f WCU (the store's "
                + "estimate: a refused write reports no capacity), run() %.1f RCU, runs() %.1f RCU%n", won.writes(), lost.writes(), read, list);
        assertThat(won.writes()).isEqualTo(1.0);
        assertThat(won.requests()).as("one UpdateItem, no read first").isEqualTo(1);
        assertThat(lost.writes()).as("a refused lease is charged too, and the meter must show it").isEqualTo(1.0);
        assertThat(read).as("strongly consistent GetItem of a small item").isEqualTo(1.0);
        assertThat(list).as("one strongly consistent Query").isEqualTo(1.0);
    }
}
