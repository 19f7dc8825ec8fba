package dev.siyu.analytics.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.siyu.analytics.churn.ChurnLearner;
import dev.siyu.analytics.ltv.BgNbd;
import dev.siyu.analytics.ltv.GammaGamma;
import dev.siyu.analytics.scoring.ChurnSource;
import dev.siyu.analytics.scoring.FeatureToggles;
import dev.siyu.analytics.scoring.ScoringModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** {@code scoring.json}: everything of a {@link ScoringModel} but the booster, which is {@code model.ubj}. */
record StoredScoringModel(String churn, double[] bgnbd, double[] gammaGamma, double[] tierCuts, List<String> featuresOff,
                          int labelWindowDays, String trainedAt, String fallbackReason, int examples, int churned) {
    static final String FILE = "scoring.json";
    static final String BOOSTER = "model.ubj";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static StoredScoringModel of(ScoringModel m, String trainedAt, String fallbackReason, int examples, int churned) {
        BgNbd b = m.purchases();
        GammaGamma g = m.spend();
        return new StoredScoringModel(m.churn() == null ? "none" : m.churn().name(),
                b == null ? null : new double[] {b.r(), b.alpha(), b.a(), b.b()},
                g == null ? null : new double[] {g.p(), g.q(), g.v()}, m.tierCuts(), List.copyOf(m.toggles().off()),
                m.labelWindowDays(), trainedAt, fallbackReason, examples, churned);
    }

    ScoringModel model(ChurnLearner learner, byte[] booster) {
        BgNbd b = bgnbd == null ? null : new BgNbd(bgnbd[0], bgnbd[1], bgnbd[2], bgnbd[3]);
        GammaGamma g = gammaGamma == null ? null : new GammaGamma(gammaGamma[0], gammaGamma[1], gammaGamma[2]);
        ChurnSource source = switch (churn) {
            case "xgboost" -> {
                if (learner == null || booster == null) {
                    throw new IllegalStateException("the stored model is a booster, but "
                            + (learner == null ? "this process has no XGBoost" : BOOSTER + " is missing"));
                }
                yield new ChurnSource.Boosted(learner.load(booster));
            }
            case "bgnbd" -> new ChurnSource.Fallback(b, labelWindowDays / 7.0);
            default -> null;
        };
        return new ScoringModel(source, b, g, tierCuts == null ? new double[0] : tierCuts,
                new FeatureToggles(Set.copyOf(featuresOff)), labelWindowDays);
    }

    byte[] json() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StoredScoringModel read(byte[] json) {
        try {
            return JSON.readValue(json, StoredScoringModel.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + FILE, e);
        }
    }
}
