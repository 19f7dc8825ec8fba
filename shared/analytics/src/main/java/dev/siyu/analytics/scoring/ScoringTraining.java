package dev.siyu.analytics.scoring;

import dev.siyu.analytics.churn.BoostSettings;
import dev.siyu.analytics.churn.ChurnLearner;
import dev.siyu.analytics.churn.ChurnTraining;
import dev.siyu.analytics.churn.ModelCard;
import dev.siyu.analytics.churn.NotEnoughExamples;
import dev.siyu.analytics.churn.Table;
import dev.siyu.analytics.ltv.BgNbdFit;
import dev.siyu.analytics.ltv.CustomerSummary;
import dev.siyu.analytics.ltv.GammaGammaFit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a tenant's scoring model from its customers' histories. Labels come from history: the cutoff is
 * {@code now} minus the label window, the features stop at the cutoff ({@link PointInTimeFeatures}) and a
 * customer churned when they bought nothing after it. Customers added after the cutoff are not examples.
 * The booster is trained as {@link ChurnTraining} trains any table (stratified 80/20 holdout, early stopping,
 * AUC, calibration, importance in the card); with fewer than 100 of either class the churn score falls back to
 * BG/NBD's P(no purchase in the window), as {@code ./siyu churn train} does. BG/NBD and Gamma-Gamma are fitted
 * on everyone's purchases up to now (weeks) for P(alive), expected purchases and CLV.
 */
public final class ScoringTraining {
    private final ChurnLearner learner;
    private final Consumer<String> progress;

    public ScoringTraining(ChurnLearner learner, Consumer<String> progress) {
        this.learner = learner;
        this.progress = progress;
    }

    /** The model and how it came about: the card when the booster was trained, else why it fell back. */
    public record Trained(ScoringModel model, ModelCard card, byte[] booster, String fallbackReason, int examples,
                          int churned) {
    }

    public Trained train(List<CustomerHistory> customers, Instant now, TrainingSettings settings) {
        Instant cutoff = now.minus(Duration.ofDays(settings.labelWindowDays()));
        List<List<String>> rows = new ArrayList<>();
        int churned = 0;
        for (CustomerHistory h : customers) {
            if (h.addedAt() != null && h.addedAt().isAfter(cutoff)) {
                continue;
            }
            ProfileFeatures f = PointInTimeFeatures.at(h, cutoff);
            boolean bought = h.happenings().stream().anyMatch(e -> e.kind() == Happening.Kind.PURCHASE
                    && e.at().isAfter(cutoff) && !e.at().isAfter(now));
            churned += bought ? 0 : 1;
            rows.add(row(f, settings.toggles(), !bought));
        }
        List<String> columns = new ArrayList<>(List.of("customer_id"));
        columns.addAll(ProfileFeatures.NAMES);
        columns.add("churned");
        ValueFit value = fitValue(customers, now);
        if (learner == null) {
            return fallback(value, settings, "no booster in this process", rows.size(), churned);
        }
        try {
            ChurnTraining.Trained t = new ChurnTraining(learner, BoostSettings.DEFAULT, progress)
                    .train(new Table("profiles", columns, rows), "churned", "customer_id", now.toString());
            if (!t.card().encoding().featureNames().equals(ProfileFeatures.NAMES)) {
                throw new IllegalStateException("the encoding changed the feature columns: " + t.card().encoding().featureNames());
            }
            ScoringModel m = new ScoringModel(new ChurnSource.Boosted(t.model()), value.bgnbd, value.gammaGamma, new double[0],
                    settings.toggles(), settings.labelWindowDays());
            return new Trained(m, t.card(), t.model().save(), null, rows.size(), churned);
        } catch (NotEnoughExamples e) {
            return fallback(value, settings, "fewer than " + ChurnTraining.MIN_PER_CLASS + " of either class ("
                    + e.churned() + " churned, " + e.retained() + " retained)", rows.size(), churned);
        }
    }

    private Trained fallback(ValueFit value, TrainingSettings settings, String why, int examples, int churned) {
        String reason = why + "; churn score = BG/NBD P(no purchase in the " + settings.labelWindowDays() + " days)";
        progress.accept("churn: " + reason);
        ScoringModel m = new ScoringModel(value.bgnbd == null ? null
                : new ChurnSource.Fallback(value.bgnbd, settings.labelWindowDays() / 7.0),
                value.bgnbd, value.gammaGamma, new double[0], settings.toggles(), settings.labelWindowDays());
        return new Trained(m, null, null, reason, examples, churned);
    }

    private record ValueFit(dev.siyu.analytics.ltv.BgNbd bgnbd, dev.siyu.analytics.ltv.GammaGamma gammaGamma) {
    }

    /** BG/NBD needs some repeat buyers to be identified; below 10 customers with purchases there is no fit. */
    private static ValueFit fitValue(List<CustomerHistory> customers, Instant now) {
        List<CustomerSummary> summaries = new ArrayList<>();
        for (CustomerHistory h : customers) {
            ProfileFeatures f = PointInTimeFeatures.at(h, now);
            if (f.purchased()) {
                summaries.add(new CustomerSummary(h.customerId(), f.repeatPurchases(), f.firstToLastWeeks(),
                        f.firstToCutoffWeeks(), f.repeatMonetary(), 0));
            }
        }
        long repeaters = summaries.stream().filter(s -> s.frequency() >= 1).count();
        if (summaries.size() < 10 || repeaters < 2) {
            return new ValueFit(null, null);
        }
        BgNbdFit purchases = BgNbdFit.fit(summaries);
        long spenders = summaries.stream().filter(s -> s.frequency() >= 1 && s.monetary() > 0).count();
        GammaGammaFit spend = spenders >= 10 ? GammaGammaFit.fit(summaries) : null;
        return new ValueFit(purchases.model(), spend == null ? null : spend.model());
    }

    private static List<String> row(ProfileFeatures f, FeatureToggles toggles, boolean churned) {
        float[] r = f.row(toggles);
        List<String> out = new ArrayList<>(r.length + 2);
        out.add(f.customerId());
        for (float v : r) {
            out.add(Float.isNaN(v) ? "" : Float.toString(v));
        }
        out.add(churned ? "yes" : "no");
        return out;
    }
}
