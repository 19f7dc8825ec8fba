package dev.siyu.core.schedule;

import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.ConditionTriggers;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.CustomerProfile;
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

    public NightlyScoring(ScrmConfig config, ProfileScan profiles, CustomerStore customers, ConditionTriggers triggers,
                          CustomerScorer scorer) {
        this.config = config;
        this.profiles = profiles;
        this.customers = customers;
        this.triggers = triggers;
        this.scorer = scorer;
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
                Optional<CustomerProfile> next = customers.update(config.tenant(), s.customerId(),
                        latest -> latest.withActivity(latest.activity().scored(round(s.churn()), s.scores()), now), List.of());
                if (next.isPresent()) {
                    saved++;
                    journeys += triggers.check(next.get(), now).size();
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
        Optional<CustomerProfile> profile = customers.profile(config.tenant(), customerId)
                .filter(p -> p.mergedInto().isEmpty());
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        List<CustomerScorer.Scored> scored = scorer.score(config.tenant(), List.of(new CustomerScorer.Customer(
                profile.get(), customers.timeline(config.tenant(), customerId))), now, config.scoring());
        if (scored.isEmpty()) {
            return Optional.of(new OneScored(customerId, profile.get().activity().churnScore(),
                    profile.get().activity().scores(), List.of()));
        }
        CustomerScorer.Scored s = scored.get(0);
        CustomerProfile next = customers.update(config.tenant(), customerId,
                latest -> latest.withActivity(latest.activity().scored(round(s.churn()), s.scores()), now), List.of())
                .orElse(profile.get());
        List<String> started = triggers.check(next, now).stream().map(dev.siyu.core.journey.JourneyRun::journey).toList();
        return Optional.of(new OneScored(customerId, next.activity().churnScore(), next.activity().scores(), started));
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
