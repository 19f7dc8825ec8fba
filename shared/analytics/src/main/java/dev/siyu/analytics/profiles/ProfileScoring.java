package dev.siyu.analytics.profiles;

import dev.siyu.analytics.churn.ChurnLearner;
import dev.siyu.analytics.personas.BehaviourFeatures;
import dev.siyu.analytics.personas.PersonaResult;
import dev.siyu.analytics.personas.Personas;
import dev.siyu.analytics.scoring.BatchScorer;
import dev.siyu.analytics.scoring.CustomerHistory;
import dev.siyu.analytics.scoring.CustomerScores;
import dev.siyu.analytics.scoring.FeatureToggles;
import dev.siyu.analytics.scoring.PointInTimeFeatures;
import dev.siyu.analytics.scoring.ProfileFeatures;
import dev.siyu.analytics.scoring.ScoringModel;
import dev.siyu.analytics.scoring.ScoringTraining;
import dev.siyu.analytics.scoring.TrainingSettings;
import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.profile.ProfileScores;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The {@link CustomerScorer} over shared/analytics: histories from timelines ({@link TimelineHistory}), training
 * by {@link ScoringTraining} (the booster when a {@link ChurnLearner} is given and both classes have 100
 * examples, else BG/NBD), the model kept in a {@link ModelStore} and, once loaded, in this instance.
 * A whole tenant's scoring also clusters the personas (k-means++, {@link Personas}) and recomputes the LTV
 * tiers' CLV cut points, which are stored for on-demand scoring of single customers.
 */
public final class ProfileScoring implements CustomerScorer {
    /** Below this many customers a scoring call is "on demand": no clustering, no new tier cuts. */
    static final int BATCH = Personas.MAX_K * 10;
    private static final String NO_PURCHASE = "No Purchase Yet";

    private final ChurnLearner learner;
    private final ModelStore store;
    private final Consumer<String> progress;
    private final Map<String, ScoringModel> loaded = new ConcurrentHashMap<>();

    public ProfileScoring(ChurnLearner learner, ModelStore store, Consumer<String> progress) {
        this.learner = learner;
        this.store = store;
        this.progress = progress;
    }

    @Override
    public String train(String tenant, List<Customer> customers, Instant now, ScoringSettings settings) {
        ScoringTraining.Trained t = new ScoringTraining(learner, progress).train(histories(customers), now, training(settings));
        ScoringModel m = t.model();
        ScoringModel previous = loaded.get(tenant);
        if (previous != null) {
            m = m.withTierCuts(previous.tierCuts());
        }
        // One publication: the fit that names the booster is never visible without it (ModelStore.publish).
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        if (t.booster() != null) {
            files.put(StoredScoringModel.BOOSTER, t.booster());
            files.put(dev.siyu.analytics.churn.ModelCard.FILE, t.card().toJson().getBytes(StandardCharsets.UTF_8));
        }
        files.put(StoredScoringModel.FILE,
                StoredScoringModel.of(m, now.toString(), t.fallbackReason(), t.examples(), t.churned()).json());
        store.publish(tenant, files);
        loaded.put(tenant, m);
        return t.card() != null
                ? String.format(java.util.Locale.ROOT, "xgboost: %d examples (%d churned), holdout AUC %.3f, %d trees",
                t.examples(), t.churned(), t.card().holdoutAuc(), t.card().rounds())
                : "bgnbd: " + t.fallbackReason();
    }

    @Override
    public List<Scored> score(String tenant, List<Customer> customers, Instant now, ScoringSettings settings) {
        boolean batch = customers.size() >= BATCH;
        if (!batch && loaded.get(tenant) == null && store.load(tenant, StoredScoringModel.FILE).isEmpty()) {
            // On demand before the tenant's first training: a model fitted on these few customers would be stored and
            // then score the whole tenant until the next training day. Nothing is scored; the stored scores stay.
            return List.of();
        }
        ScoringModel model = model(tenant, customers, now, settings);
        List<CustomerHistory> histories = histories(customers);
        int n = histories.size();
        ProfileFeatures[] features = new ProfileFeatures[n];
        float[][] rows = new float[n][];
        FeatureToggles toggles = model.toggles();
        for (int i = 0; i < n; i++) {
            features[i] = PointInTimeFeatures.at(histories.get(i), now);
            rows[i] = features[i].row(toggles);
        }
        Map<String, String> personas = batch ? personas(features, settings.personaK()) : storedPersonas(customers);
        List<CustomerScores> scores = new BatchScorer(model).score(features, rows, personas);
        if (batch) {
            model = model.withTierCuts(BatchScorer.tierCuts(scores));
            loaded.put(tenant, model);
            byte[] stored = store.load(tenant, StoredScoringModel.FILE).orElse(null);
            StoredScoringModel previous = stored == null ? null : StoredScoringModel.read(stored);
            store.save(tenant, StoredScoringModel.FILE, StoredScoringModel.of(model,
                    previous == null ? now.toString() : previous.trainedAt(),
                    previous == null ? null : previous.fallbackReason(),
                    previous == null ? 0 : previous.examples(), previous == null ? 0 : previous.churned()).json());
        }
        List<Scored> out = new ArrayList<>(n);
        for (CustomerScores s : scores) {
            String tier = model.tier(s.clv());
            out.add(new Scored(s.customerId(), s.churn(), new ProfileScores(s.probabilityAlive(), s.expectedPurchases(),
                    s.clv(), tier, s.persona(), s.propensities().engagement(), s.propensities().purchaseIntent(),
                    s.propensities().discountSensitivity(), s.propensities().campaign(), s.model(), now)));
        }
        return out;
    }

    private ScoringModel model(String tenant, List<Customer> customers, Instant now, ScoringSettings settings) {
        ScoringModel m = loaded.get(tenant);
        if (m != null) {
            return m;
        }
        byte[] json = store.load(tenant, StoredScoringModel.FILE).orElse(null);
        if (json == null) {
            train(tenant, customers, now, settings);
            return loaded.get(tenant);
        }
        m = StoredScoringModel.read(json).model(learner, store.load(tenant, StoredScoringModel.BOOSTER).orElse(null));
        loaded.put(tenant, m);
        return m;
    }

    private Map<String, String> personas(ProfileFeatures[] features, int k) {
        List<BehaviourFeatures> buyers = new ArrayList<>();
        Map<String, String> out = new HashMap<>();
        for (ProfileFeatures f : features) {
            if (f.purchased() && f.monetary() > 0) {
                double tenure = f.tenureDays();
                buyers.add(new BehaviourFeatures(f.customerId(), f.recencyDays(),
                        f.purchaseDays() * 30.0 / Math.max(tenure, 30), f.monetary(), tenure, 0));
            } else {
                out.put(f.customerId(), NO_PURCHASE);
            }
        }
        if (buyers.size() < BATCH) {
            buyers.forEach(b -> out.put(b.customerId(), ""));
            return out;
        }
        PersonaResult r = new Personas(42, progress).cluster(buyers, k);
        Map<Integer, String> names = new HashMap<>();
        r.personas().forEach(p -> names.put(p.cluster(), p.name()));
        r.clusterOf().forEach((id, cluster) -> out.put(id, names.getOrDefault(cluster, "")));
        return out;
    }

    private static Map<String, String> storedPersonas(List<Customer> customers) {
        Map<String, String> out = new HashMap<>();
        for (Customer c : customers) {
            ProfileScores s = c.profile().activity().scores();
            if (s != null && s.persona() != null) {
                out.put(c.profile().customerId(), s.persona());
            }
        }
        return out;
    }

    private static List<CustomerHistory> histories(List<Customer> customers) {
        List<CustomerHistory> out = new ArrayList<>(customers.size());
        for (Customer c : customers) {
            out.add(TimelineHistory.of(c));
        }
        return out;
    }

    static TrainingSettings training(ScoringSettings s) {
        return new TrainingSettings(s.labelWindowDays(), s.personaK(), new FeatureToggles(s.featuresOff()));
    }
}
