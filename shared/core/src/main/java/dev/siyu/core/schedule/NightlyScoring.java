package dev.siyu.core.schedule;

import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.ConditionTriggers;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileChange;
import dev.siyu.core.profile.ProfileScores;
import java.lang.System.Logger.Level;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code score-customers} job: scores every customer with the stored model (training first only when there is
 * none; the {@code train-churn} job retrains it when the blueprint's {@code retrain} says, daily or Mondays for
 * weekly), scores every customer (churn, P(alive), expected purchases, CLV, LTV tier,
 * persona, propensities), writes the scores to each profile through {@link CustomerStore#update}, and hands the
 * refreshed profile to the same {@link ConditionTriggers} the daily rules use, so {@code churn_early_warning}
 * starts for a customer whose score is above its threshold. It runs before the daily rules, whose lifecycle
 * stage then reads the fresh score.
 */
public final class NightlyScoring {
    private static final System.Logger LOG = System.getLogger(NightlyScoring.class.getName());
    /** The churn journey of the blueprint, whose trigger's threshold the report counts against. */
    public static final String CHURN_JOURNEY = "churn_early_warning";
    /** The summary's {@code trained}: the night scores; training is the train-churn job's (or on demand). */
    public static final String NOT_TRAINED = "scored with the stored model (trained first if none; train-churn retrains)";

    private final ScrmConfig config;
    private final ProfileScan profiles;
    private final CustomerStore customers;
    private final ConditionTriggers triggers;
    private final CustomerScorer scorer;
    private final CustomerSnapshots snapshots;

    public NightlyScoring(ScrmConfig config, ProfileScan profiles, CustomerStore customers, ConditionTriggers triggers,
                          CustomerScorer scorer) {
        this(config, profiles, customers, triggers, scorer, null);
    }

    /**
     * @param snapshots reads a customer's profile and journey runs together (one Query on DynamoDB), so scoring one
     *                  customer on demand and checking the churn journey's trigger reads the table once for both;
     *                  null: the profile alone, and the trigger check reads the runs itself
     */
    public NightlyScoring(ScrmConfig config, ProfileScan profiles, CustomerStore customers, ConditionTriggers triggers,
                          CustomerScorer scorer, CustomerSnapshots snapshots) {
        this.config = config;
        this.profiles = profiles;
        this.customers = customers;
        this.triggers = triggers;
        this.scorer = scorer;
        this.snapshots = snapshots;
    }

    /**
     * @param trained       what training did, or that it was not a training day (the stored model scored)
     * @param distribution  scored customers per tenth of the churn score: "0.0-0.1" -> count
     * @param threshold     the churn journey's threshold; 1 (nobody above) when the blueprint has no churn journey
     * @param aboveThreshold customers whose churn score is above the threshold
     */
    public record Summary(int profiles, int scored, int saved, String trained, Map<String, Integer> distribution,
                          double threshold, int aboveThreshold, int journeysStarted, int failed) {
        public Summary {
            distribution = Map.copyOf(distribution);
        }
    }

    public Summary run(Instant now) {
        ScoringSettings settings = config.scoring();
        List<CustomerScorer.Customer> all = new ArrayList<>();
        profiles.pass(config.tenant(), "score-customers#" + LocalDate.ofInstant(now, config.timezone()), p ->
                all.add(new CustomerScorer.Customer(p, customers.timeline(config.tenant(), p.customerId()))))
                .requireComplete();
        String trained = NOT_TRAINED;
        List<CustomerScorer.Scored> scored = scorer.score(config.tenant(), all, now, settings);
        double threshold = threshold().orElse(1.0);
        Map<String, Integer> distribution = new java.util.TreeMap<>();
        int saved = 0;
        int above = 0;
        int journeys = 0;
        int failed = 0;
        for (CustomerScorer.Scored s : scored) {
            try {
                if (!Double.isNaN(s.churn())) {
                    int tenth = Math.min(9, (int) Math.floor(s.churn() * 10));
                    distribution.merge(String.format(java.util.Locale.ROOT, "%.1f-%.1f", tenth / 10.0, (tenth + 1) / 10.0),
                            1, Integer::sum);
                    if (s.churn() > threshold) {
                        above++;
                    }
                }
                // A profile whose scores did not change is not rewritten; its trigger is still checked, on the
                // stored copy the change was shown.
                CustomerProfile[] unchanged = new CustomerProfile[1];
                Optional<CustomerProfile> next = customers.update(config.tenant(), s.customerId(), latest -> {
                    unchanged[0] = sameScores(latest, s) ? latest : null;
                    return unchanged[0] != null ? null : latest.withActivity(latest.activity().scored(round(s.churn()), s.scores()), now);
                }, List.of());
                if (next.isPresent()) {
                    saved++;
                    journeys += triggers.check(next.get(), now).size();
                } else if (unchanged[0] != null) {
                    journeys += triggers.check(unchanged[0], now).size();
                }
            } catch (RuntimeException e) {
                // One customer's failed write must not stop the others; tomorrow's run scores them again.
                failed++;
                LOG.log(Level.WARNING, JsonLog.line("scoring a customer failed", "tenant", config.tenant(),
                        "customer", s.customerId(), "error", e.toString()));
            }
        }
        Summary summary = new Summary(all.size(), scored.size(), saved, trained, distribution, threshold, above, journeys,
                failed);
        LOG.log(Level.INFO, JsonLog.line("customers scored", "tenant", config.tenant(), "profiles", all.size(),
                "above_threshold", above, "journeys_started", journeys, "trained", String.valueOf(trained)));
        return summary;
    }

    /** One customer scored on demand, and whether a churn journey started. */
    public record OneScored(String customerId, Double churn, dev.siyu.core.profile.ProfileScores scores,
                            List<String> journeysStarted) {
        public OneScored {
            journeysStarted = List.copyOf(journeysStarted);
        }
    }

    /**
     * Scores one customer now with the tenant's stored model (other functions and the admin API ask this), writes
     * the scores as the nightly job does and starts the churn journey if the score is above its threshold; empty
     * when there is no such customer.
     */
    public Optional<OneScored> scoreOne(String customerId, Instant now) {
        // Round trips on the warm path: the profile, the journey runs and the timeline together (one Query on
        // DynamoDB), and the profile's conditional write only when a score changed; the trigger check reuses the runs.
        CustomerSnapshots.StateAndTimeline read = snapshots == null ? null
                : snapshots.snapshotWithTimeline(config.tenant(), customerId, customers);
        CustomerSnapshots.Snapshot state = read == null ? null : read.state();
        Optional<CustomerProfile> profile = (state == null ? customers.profile(config.tenant(), customerId) : state.profile())
                .filter(p -> p.mergedInto().isEmpty());
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        List<CustomerScorer.Scored> scored = scorer.score(config.tenant(), List.of(new CustomerScorer.Customer(
                profile.get(), read == null ? customers.timeline(config.tenant(), customerId) : read.timeline())), now,
                config.scoring());
        if (scored.isEmpty()) {
            return Optional.of(new OneScored(customerId, profile.get().activity().churnScore(),
                    profile.get().activity().scores(), List.of()));
        }
        CustomerScorer.Scored s = scored.get(0);
        CustomerProfile next = profile.get();
        if (!sameScores(next, s)) {
            ProfileChange change = latest -> sameScores(latest, s) ? null
                    : latest.withActivity(latest.activity().scored(round(s.churn()), s.scores()), now);
            next = customers.updateFrom(profile.get(), change, List.of()).orElse(next);
        }
        List<JourneyRun> started = state == null ? triggers.check(next, now) : triggers.check(next, now, state.runs());
        return Optional.of(new OneScored(customerId, next.activity().churnScore(), next.activity().scores(),
                started.stream().map(JourneyRun::journey).toList()));
    }

    /**
     * Whether the profile already holds these scores (the churn score as stored, two decimals; the other scores
     * exactly, the time they were computed aside): scoring the same history with the same model again changes
     * nothing, and a write of it would only move {@code scoredAt}.
     */
    static boolean sameScores(CustomerProfile p, CustomerScorer.Scored s) {
        ProfileScores stored = p.activity().scores();
        if (stored == null || s.scores() == null) {
            return false;
        }
        if (!Double.isNaN(s.churn()) && !Double.valueOf(round(s.churn())).equals(p.activity().churnScore())) {
            return false;
        }
        ProfileScores n = s.scores();
        return stored.probabilityAlive() == n.probabilityAlive() && stored.expectedPurchases() == n.expectedPurchases()
                && stored.clv() == n.clv() && java.util.Objects.equals(stored.ltvTier(), n.ltvTier())
                && java.util.Objects.equals(stored.persona(), n.persona()) && stored.engagement() == n.engagement()
                && stored.purchaseIntent() == n.purchaseIntent()
                && stored.discountSensitivity() == n.discountSensitivity()
                && stored.campaignPropensity() == n.campaignPropensity() && java.util.Objects.equals(stored.model(), n.model());
    }

    /**
     * The {@code train-churn} job's answer.
     *
     * @param due     whether the blueprint's retrain schedule trains today
     * @param trained what training did; empty when not due
     */
    public record Training(boolean due, String retrain, String trained) { }

    /** The {@code train-churn} job: trains when the blueprint's {@code retrain} says (daily, or Mondays for weekly). */
    public Training trainWhenDue(Instant now) {
        ScoringSettings settings = config.scoring();
        if (!retrainDay(now, settings)) {
            return new Training(false, settings.retrain(), "");
        }
        return new Training(true, settings.retrain(), trainNow(now));
    }

    /** Trains now (an operator's or the admin API's request), whatever the retrain schedule says. */
    public String trainNow(Instant now) {
        List<CustomerScorer.Customer> all = new ArrayList<>();
        profiles.pass(config.tenant(), "train-customers#" + now, p ->
                all.add(new CustomerScorer.Customer(p, customers.timeline(config.tenant(), p.customerId()))))
                .requireComplete();
        return scorer.train(config.tenant(), all, now, config.scoring());
    }

    /** Two decimals, as the heuristic stored them: a score that barely moves is not rewritten every night. */
    private static double round(double churn) {
        return Double.isNaN(churn) ? churn : Math.round(churn * 100) / 100.0;
    }

    private boolean retrainDay(Instant now, ScoringSettings settings) {
        return "daily".equals(settings.retrain())
                || LocalDate.ofInstant(now, config.timezone()).getDayOfWeek() == DayOfWeek.MONDAY;
    }

    /** The churn journey's threshold, read from its trigger's condition ({@code customer.churn_score > 0.7}). */
    public Optional<Double> threshold() {
        return config.journey(CHURN_JOURNEY).map(j -> j.trigger().condition()).flatMap(c -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("churn_score\\s*>=?\\s*([0-9.]+)").matcher(c == null ? "" : c);
            return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
        });
    }
}
