package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.analytics.profiles.MemoryModelStore;
import dev.siyu.analytics.profiles.ProfileScoring;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.ProfileScores;
import dev.siyu.memory.faults.Faults;
import dev.siyu.memory.faults.InstanceCrash;
import dev.siyu.core.schedule.NightlyScoring;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The score-customers job on the example blueprint: customers who kept buying and customers who stopped, scored
 * from their timelines; the scores land on the profiles and churn_early_warning starts for the ones above 0.7
 * (the BG/NBD fallback here: this harness has no XGBoost, and 100 customers are below 100 of each class).
 */
class NightlyScoringTest {
    static final String JOURNEY = "churn_early_warning";

    JourneyHarness h;
    NightlyScoring scoring;
    ProfileScoring scorer;

    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-09-01T01:00:00Z"));
        Instant added = h.now().minus(Duration.ofDays(300));
        for (int i = 0; i < 100; i++) {
            String id = (i < 60 ? "steady" : "gone") + i;
            h.customer(id, added);
            h.update(id, p -> p.withActivity(p.activity().interacted(h.now().minus(Duration.ofDays(3)), true), h.now()));
            // Steady customers buy every 14-23 days up to last week; the gone ones bought 4 times and stopped 200 days ago.
            int gap = 14 + i % 10;
            int stop = i < 60 ? 292 : 100;
            int purchases = 0;
            for (int d = 2 + i % 7; d <= stop && (i < 60 || purchases < 4); d += gap) {
                h.members.purchase(id, 80 + i, "skincare", added.plus(Duration.ofDays(d)));
                purchases++;
            }
        }
        scorer = new ProfileScoring(null, new MemoryModelStore(), line -> { });
        scoring = new NightlyScoring(h.config, h.customers, h.customers, h.engine.starter, scorer);
    }

    @Test
    void scoresLandOnProfilesAndTheChurnWarningStartsAboveTheThreshold() {
        NightlyScoring.Summary s = scoring.run(h.now());

        assertThat(s.scored()).isEqualTo(100);
        assertThat(s.threshold()).isEqualTo(0.7);
        // 2024-09-01 is a Sunday: no retraining day (weekly = Mondays), so the model was trained on first use
        assertThat(s.trained()).isEqualTo(NightlyScoring.NOT_TRAINED);
        for (int i = 0; i < 100; i++) {
            String id = (i < 60 ? "steady" : "gone") + i;
            Double churn = h.profile(id).activity().churnScore();
            ProfileScores scores = h.profile(id).activity().scores();
            assertThat(scores).as(id).isNotNull();
            assertThat(scores.model()).isEqualTo("bgnbd");
            assertThat(scores.engagement()).isBetween(0.0, 1.0);
            if (i < 60) {
                assertThat(churn).as(id).isLessThan(0.7);
                assertThat(scores.probabilityAlive()).as(id).isGreaterThan(0.5);
                assertThat(h.runs(id, JOURNEY)).as(id).isEmpty();
            } else {
                assertThat(churn).as(id).isGreaterThan(0.7);
                assertThat(h.runs(id, JOURNEY)).as(id).hasSize(1);
            }
        }
        assertThat(s.aboveThreshold()).isEqualTo(40);
        assertThat(s.journeysStarted()).isGreaterThanOrEqualTo(40);
        assertThat(s.distribution().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);

        // WHEN it runs again the next night, nobody's churn journey starts twice
        h.advance(Duration.ofDays(1));
        scoring.run(h.now());
        assertThat(h.runs("gone60", JOURNEY)).hasSize(1);
    }

    @Test
    void scoringOnDemandAgainWritesNothingUnchangedAndStartsNoSecondRun() {
        scoring.run(h.now());
        NightlyScoring onDemand = onDemand(h.engine.starter);
        long version = h.profile("gone60").version();

        NightlyScoring.OneScored again = onDemand.scoreOne("gone60", h.now()).orElseThrow();

        // The same history and model at the same time give the same scores: the profile is not rewritten.
        assertThat(h.profile("gone60").version()).isEqualTo(version);
        assertThat(again.churn()).isGreaterThan(0.7);
        assertThat(again.journeysStarted()).isEmpty();
        assertThat(h.runs("gone60", JOURNEY)).hasSize(1);

        // A week later T has grown (and the journey's steps have run): the new scores are written, the active run
        // is not doubled.
        h.advance(Duration.ofDays(7));
        NightlyScoring.OneScored later = onDemand.scoreOne("gone60", h.now()).orElseThrow();
        assertThat(h.profile("gone60").activity().scores().scoredAt()).isEqualTo(h.now());
        assertThat(later.journeysStarted()).isEmpty();
        assertThat(h.runs("gone60", JOURNEY)).hasSize(1);
    }

    @Test
    void unchangedScoresStillStartTheChurnJourneyNotYetStarted() {
        // The night wrote the scores but started nothing (as if its trigger check had died after the write).
        new NightlyScoring(h.config, h.customers, h.customers, (profile, now) -> java.util.List.of(), scorer).run(h.now());
        assertThat(h.runs("gone61", JOURNEY)).isEmpty();
        long version = h.profile("gone61").version();

        NightlyScoring.OneScored one = onDemand(h.engine.starter).scoreOne("gone61", h.now()).orElseThrow();

        assertThat(h.profile("gone61").version()).isEqualTo(version);
        assertThat(one.journeysStarted()).contains(JOURNEY);
        assertThat(h.runs("gone61", JOURNEY)).hasSize(1);
        // and the night's job, with nothing changed for this customer, does not start it again
        scoring.run(h.now());
        assertThat(h.runs("gone61", JOURNEY)).hasSize(1);
    }

    @Test
    void underInjectedFaultsTheNightsTrainAndScoreEveryCustomer() {
        // 5% of the store's and the scorer's calls fail (a fifth of them by the instance dying): a night of 100
        // timeline reads and 100 writes meets about ten. Each job runs as the scheduler runs it, retried twice.
        Faults faults = new Faults(3, 0.05);
        NightlyScoring faulty = new NightlyScoring(h.config, faults.wrap(ProfileScan.class, h.customers),
                faults.wrap(CustomerStore.class, h.customers), h.engine.starter, faults.wrap(CustomerScorer.class, scorer));
        Instant firstNight = h.now();
        for (int night = 0; night < 3; night++) {
            Instant at = h.now();
            scheduled(() -> faulty.trainWhenDue(at));
            scheduled(() -> faulty.run(at));
            h.advance(Duration.ofDays(1));
        }
        faults.stop();

        assertThat(faults.counts()).containsKey(Faults.CRASH);
        for (int i = 0; i < 100; i++) {
            String id = (i < 60 ? "steady" : "gone") + i;
            ProfileScores scores = h.profile(id).activity().scores();
            assertThat(scores).as(id).isNotNull();
            assertThat(scores.model()).as(id).isEqualTo("bgnbd");
            assertThat(scores.scoredAt()).as(id).isAfterOrEqualTo(firstNight);
        }
    }

    @Test
    void aTrainingWaitsForTheOneRunningAndTheWeeksTrainingIsDoneOnce() {
        String tenant = h.config.tenant();
        h.customers.claimLease(tenant, new DedupKey(NightlyScoring.TRAINING_LEASE_KEY), "the admin's training", h.now(),
                h.now().plus(NightlyScoring.TRAINING_LEASE));

        NightlyScoring.Training refused = scoring.trainWhenDue(h.now());

        assertThat(refused.due()).isFalse();
        assertThat(refused.trained()).isEqualTo(NightlyScoring.TRAINING_RUNNING);
        assertThat(scoring.trainNow(h.now())).isEqualTo(NightlyScoring.TRAINING_RUNNING);
        assertThat(h.profile("gone60").activity().scores()).isNull();

        // The other training's lease runs out (it died): the job's retry trains, once for the week.
        h.advance(NightlyScoring.TRAINING_LEASE.plusMinutes(1));
        NightlyScoring.Training trained = scoring.trainWhenDue(h.now());
        assertThat(trained.due()).isTrue();
        assertThat(trained.trained()).isNotBlank();
        NightlyScoring.Training again = scoring.trainWhenDue(h.now().plus(Duration.ofHours(1)));
        assertThat(again.due()).isFalse();
        assertThat(again.trained()).startsWith("trained already this week");
    }

    /** A scheduled job's invocation and Lambda's two retries of it, whether it failed or its instance died. */
    private static void scheduled(Runnable job) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                job.run();
                return;
            } catch (RuntimeException | InstanceCrash e) {
                // the next attempt
            }
        }
    }

    private NightlyScoring onDemand(dev.siyu.core.journey.ConditionTriggers triggers) {
        return new NightlyScoring(h.config, h.customers, h.customers, triggers, scorer,
                dev.siyu.core.port.CustomerSnapshots.of(h.customers, h.runs, null));
    }
}
