package dev.siyu.analytics.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Features, churn, value and propensities for a batch of customers as of one time. The churn model is asked
 * once per batch (a booster call per customer costs more than the customer). Personas are assigned by the
 * caller from the night's clustering ({@code personaOf}); on demand a customer keeps the persona the night gave.
 */
public final class BatchScorer {
    private final ScoringModel model;

    public BatchScorer(ScoringModel model) {
        this.model = model;
    }

    public ScoringModel model() {
        return model;
    }

    public List<CustomerScores> score(List<CustomerHistory> batch, Instant asOf, Map<String, String> personaOf) {
        int n = batch.size();
        ProfileFeatures[] features = new ProfileFeatures[n];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            features[i] = PointInTimeFeatures.at(batch.get(i), asOf);
            rows[i] = features[i].row(model.toggles());
        }
        return score(features, rows, personaOf);
    }

    public List<CustomerScores> score(ProfileFeatures[] features, float[][] rows, Map<String, String> personaOf) {
        int n = features.length;
        double[] churn = new double[n];
        if (model.churn() == null) {
            // No purchases to fit and no booster: no churn score rather than a made-up one.
            java.util.Arrays.fill(churn, Double.NaN);
        } else if (n > 0) {
            model.churn().score(features, rows, n, churn);
        }
        List<CustomerScores> out = new ArrayList<>(n);
        dev.siyu.analytics.ltv.MonthlyHorizon.Workspace w = ScoringModel.workspace();
        double[] v = new double[4];
        for (int i = 0; i < n; i++) {
            ProfileFeatures f = features[i];
            model.value(f, w, v);
            out.add(new CustomerScores(f.customerId(), clamp(churn[i]), v[0], v[1], v[2], model.tier(v[2]),
                    personaOf.getOrDefault(f.customerId(), ""), Propensities.of(f, v[3]),
                    model.churn() == null ? "none" : model.churn().name()));
        }
        return out;
    }

    /** The tiers' CLV cut points over a batch's scores: the 90th, 70th and 40th percentiles of positive CLV. */
    public static double[] tierCuts(List<CustomerScores> scores) {
        double[] clv = scores.stream().mapToDouble(CustomerScores::clv).filter(c -> c > 0).sorted().toArray();
        if (clv.length == 0) {
            return new double[0];
        }
        return new double[] {percentile(clv, 0.9), percentile(clv, 0.7), percentile(clv, 0.4)};
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    private static double clamp(double p) {
        return Double.isNaN(p) ? p : Math.min(1, Math.max(0, p));
    }
}
