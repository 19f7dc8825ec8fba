package dev.siyu.core.schedule;

import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.event.DedupKey;
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
import java.time.Duration;
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
    private final int resumeChunk;

    /** Tries of one read or of one chunk's scoring before the customers in it are left for the next attempt. */
    static final int TRANSIENT_ATTEMPTS = 3;
    /** Customers per chunk when the day's first attempt did not finish. */
    public static final int RESUME_CHUNK = 25;
    /** The tenant's one training at a time (the train-churn job, the admin API, an operator). */
    public static final String TRAINING_LEASE_KEY = "train-churn|running";
    /** The longest a Lambda invocation lives: a training's lease outlives a dead one by no more. */
    public static final Duration TRAINING_LEASE = Duration.ofMinutes(15);
    /** What a training request answers while another training runs. */
    public static final String TRAINING_RUNNING = "another training is running; the model it stores scores next";

    public NightlyScoring(ScrmConfig config, ProfileScan profiles, CustomerStore customers, ConditionTriggers triggers,
                          CustomerScorer scorer) {
        this(config, profiles, customers, triggers, scorer, null);
    }

    public NightlyScoring(ScrmConfig config, ProfileScan profiles, CustomerStore customers, ConditionTriggers triggers,
                          CustomerScorer scorer, CustomerSnapshots snapshots) {
        this(config, profiles, customers, triggers, scorer, snapshots, RESUME_CHUNK);
    }

    /**
     * @param snapshots reads a customer's profile and journey runs together (one Query on DynamoDB), so scoring one
     *                  customer on demand and checking the churn journey's trigger reads the table once for both;
     *                  null: the profile alone, and the trigger check reads the runs itself
     * @param resumeChunk customers per chunk in an attempt after the day's first one (which scores all as one batch)
     */
    public NightlyScoring(ScrmConfig config, ProfileScan profiles, CustomerStore customers, ConditionTriggers triggers,
                          CustomerScorer scorer, CustomerSnapshots snapshots, int resumeChunk) {
        this.resumeChunk = resumeChunk;
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
     * @param failed        customers left unscored by this attempt (a read, the scoring or the write failed)
     * @param scoredEarlierToday customers an earlier attempt today (or an on-demand score) had scored: skipped
     */
    public record Summary(int profiles, int scored, int saved, String trained, Map<String, Integer> distribution,
                          double threshold, int aboveThreshold, int journeysStarted, int failed, int scoredEarlierToday) {
        public Summary {
            distribution = Map.copyOf(distribution);
        }
    }

    public Summary run(Instant now) {
        ScoringSettings settings = config.scoring();
        String tenant = config.tenant();
        LocalDate day = LocalDate.ofInstant(now, config.timezone());
        Instant dayStart = day.atStartOfDay(config.timezone()).toInstant();
        List<CustomerProfile> all = new ArrayList<>();
        profiles.pass(tenant, "score-customers#" + day, all::add).requireComplete();
        // The cursor is the profiles themselves: a customer scored since the day began (by an earlier attempt of
        // this run, or on demand) is done; the rest go stalest first, so a night cut short by faults leaves the
        // freshest scores behind and the next night starts where the stalest are.
        List<CustomerProfile> todo = all.stream().filter(p -> !scoredSince(p, dayStart))
                .sorted(java.util.Comparator.comparing(NightlyScoring::scoredAt).thenComparing(CustomerProfile::customerId))
                .toList();
        // The day's first attempt scores the tenant as one batch (the personas are clustered over it and the LTV tier
        // cuts drawn from it); an attempt after one that died or failed goes in small chunks, so a crash loses
        // at most one chunk's reads and every attempt moves the cursor on.
        boolean first = customers.claimLease(tenant, new DedupKey("score-customers|" + day), CustomerStore.newToken(),
                now, day.plusDays(1).atStartOfDay(config.timezone()).toInstant()) == CustomerStore.Claim.WON;
        int size = first ? Math.max(1, todo.size()) : resumeChunk;
        Tally t = new Tally();
        for (int from = 0; from < todo.size(); from += size) {
            scoreChunk(todo.subList(from, Math.min(todo.size(), from + size)), now, settings, t);
        }
        String trained = NOT_TRAINED;
        Summary summary = new Summary(all.size(), t.scored, t.saved, trained, t.distribution, t.threshold, t.above,
                t.journeys, t.failed, all.size() - todo.size());
        LOG.log(Level.INFO, JsonLog.line("customers scored", "tenant", tenant, "profiles", all.size(),
                "scored", t.scored, "scored_earlier_today", all.size() - todo.size(), "failed", t.failed,
                "above_threshold", t.above, "journeys_started", t.journeys, "first_attempt", first));
        return summary;
    }

    /** What the night's chunks add up to. */
    private final class Tally {
        final Map<String, Integer> distribution = new java.util.TreeMap<>();
        final double threshold = threshold().orElse(1.0);
        int scored;
        int saved;
        int above;
        int journeys;
        int failed;
    }

    private void scoreChunk(List<CustomerProfile> chunk, Instant now, ScoringSettings settings, Tally t) {
        String tenant = config.tenant();
        List<CustomerScorer.Customer> batch = new ArrayList<>(chunk.size());
        for (CustomerProfile p : chunk) {
            try {
                batch.add(new CustomerScorer.Customer(p, transient_(() -> customers.timeline(tenant, p.customerId()))));
            } catch (RuntimeException e) {
                // A customer whose timeline cannot be read is left out tonight; the others are scored.
                t.failed++;
                LOG.log(Level.WARNING, JsonLog.line("reading a customer's timeline failed", "tenant", tenant,
                        "customer", p.customerId(), "error", e.toString()));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<CustomerScorer.Scored> scored;
        try {
            scored = transient_(() -> scorer.score(tenant, batch, now, settings));
        } catch (RuntimeException e) {
            // The chunk's customers stay unscored today; a retry or the next night scores them (stalest first).
            t.failed += batch.size();
            LOG.log(Level.WARNING, JsonLog.line("scoring customers failed", "tenant", tenant, "customers", batch.size(),
                    "error", e.toString()));
            return;
        }
        t.scored += scored.size();
        for (CustomerScorer.Scored s : scored) {
            try {
                if (!Double.isNaN(s.churn())) {
                    int tenth = Math.min(9, (int) Math.floor(s.churn() * 10));
                    t.distribution.merge(String.format(java.util.Locale.ROOT, "%.1f-%.1f", tenth / 10.0, (tenth + 1) / 10.0),
                            1, Integer::sum);
                    if (s.churn() > t.threshold) {
                        t.above++;
                    }
                }
                // A profile whose scores did not change is not rewritten; its trigger is still checked, on the
                // stored copy the change was shown.
                CustomerProfile[] unchanged = new CustomerProfile[1];
                Optional<CustomerProfile> next = customers.update(tenant, s.customerId(), latest -> {
                    unchanged[0] = sameScores(latest, s) ? latest : null;
                    return unchanged[0] != null ? null : latest.withActivity(latest.activity().scored(round(s.churn()), s.scores()), now);
                }, List.of());
                if (next.isPresent()) {
                    t.saved++;
                    t.journeys += triggers.check(next.get(), now).size();
                } else if (unchanged[0] != null) {
                    t.journeys += triggers.check(unchanged[0], now).size();
                }
            } catch (RuntimeException e) {
                // One customer's failed write must not stop the others; a retry or tomorrow's run scores them again.
                t.failed++;
                LOG.log(Level.WARNING, JsonLog.line("scoring a customer failed", "tenant", tenant,
                        "customer", s.customerId(), "error", e.toString()));
            }
        }
    }

    /**
     * A read or a computation tried again at once when it fails with a RuntimeException (a throttle, a timeout):
     * a batch job over the whole tenant meets some, and one must not cost a customer its score. Errors (the
     * instance dying) are not caught: the job's retry continues from the cursor.
     */
    private static <T> T transient_(java.util.function.Supplier<T> call) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < TRANSIENT_ATTEMPTS; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private static boolean scoredSince(CustomerProfile p, Instant since) {
        ProfileScores s = p.activity().scores();
        return s != null && s.scoredAt() != null && !s.scoredAt().isBefore(since);
    }

    private static Instant scoredAt(CustomerProfile p) {
        ProfileScores s = p.activity().scores();
        return s == null || s.scoredAt() == null ? Instant.EPOCH : s.scoredAt();
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
     * @param due     whether this run trained: the blueprint's retrain period (the day, or the week from Monday for
     *                weekly) has no completed training yet
     * @param trained what training did, or why it did not train
     */
    public record Training(boolean due, String retrain, String trained) { }

    /**
     * The {@code train-churn} job: trains once per the blueprint's {@code retrain} period (daily, or weekly from
     * Monday). The period is marked done only when a training finished, so a training the faults cut short on
     * Monday is done by the retry, or by the next night's run, not a week later.
     */
    public Training trainWhenDue(Instant now) {
        ScoringSettings settings = config.scoring();
        LocalDate day = LocalDate.ofInstant(now, config.timezone());
        LocalDate period = "daily".equals(settings.retrain()) ? day
                : day.with(java.time.temporal.TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        DedupKey key = new DedupKey("train-churn|period|" + period);
        String token = CustomerStore.newToken();
        CustomerStore.Claim claim = customers.claimLease(config.tenant(), key, token, now, now.plus(TRAINING_LEASE));
        if (claim == CustomerStore.Claim.DONE) {
            return new Training(false, settings.retrain(), "trained already this " + ("daily".equals(settings.retrain())
                    ? "day" : "week (from " + period + ")"));
        }
        if (claim == CustomerStore.Claim.PROCESSING) {
            return new Training(false, settings.retrain(), TRAINING_RUNNING);
        }
        Optional<String> trained;
        try {
            trained = trainAlone(now);
        } catch (RuntimeException e) {
            customers.release(config.tenant(), key, token);
            throw e;
        }
        if (trained.isEmpty()) {
            customers.release(config.tenant(), key, token);
            return new Training(false, settings.retrain(), TRAINING_RUNNING);
        }
        customers.complete(config.tenant(), key, token, now, Duration.ofDays(8));
        return new Training(true, settings.retrain(), trained.get());
    }

    /** Trains now (an operator's request), whatever the retrain schedule says; or says another training runs. */
    public String trainNow(Instant now) {
        return trainAlone(now).orElse(TRAINING_RUNNING);
    }

    /**
     * Trains now unless another training holds the tenant's training lease (two at once would read the tenant
     * twice and race to store the model); empty then. A training that dies leaves the lease to run out after
     * {@link #TRAINING_LEASE}, the longest a Lambda invocation lives.
     */
    public Optional<String> trainAlone(Instant now) {
        String tenant = config.tenant();
        DedupKey lease = new DedupKey(TRAINING_LEASE_KEY);
        String token = CustomerStore.newToken();
        if (customers.claimLease(tenant, lease, token, now, now.plus(TRAINING_LEASE)) != CustomerStore.Claim.WON) {
            return Optional.empty();
        }
        try {
            List<CustomerScorer.Customer> all = new ArrayList<>();
            int[] unread = {0};
            profiles.pass(tenant, "train-customers#" + now, p -> {
                try {
                    all.add(new CustomerScorer.Customer(p, transient_(() -> customers.timeline(tenant, p.customerId()))));
                } catch (RuntimeException e) {
                    // One unreadable timeline leaves one customer out of the examples, not the training undone.
                    unread[0]++;
                }
            }).requireComplete();
            String trained = transient_(() -> scorer.train(tenant, all, now, config.scoring()));
            customers.release(tenant, lease, token);
            return Optional.of(unread[0] == 0 ? trained : trained + " (" + unread[0] + " customer(s) unreadable, left out)");
        } catch (RuntimeException e) {
            customers.release(tenant, lease, token);
            throw e;
        }
    }

    /** Two decimals, as the heuristic stored them: a score that barely moves is not rewritten every night. */
    private static double round(double churn) {
        return Double.isNaN(churn) ? churn : Math.round(churn * 100) / 100.0;
    }

    /** The churn journey's threshold, read from its trigger's condition ({@code customer.churn_score > 0.7}). */
    public Optional<Double> threshold() {
        return config.journey(CHURN_JOURNEY).map(j -> j.trigger().condition()).flatMap(c -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("churn_score\\s*>=?\\s*([0-9.]+)").matcher(c == null ? "" : c);
            return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
        });
    }
}
