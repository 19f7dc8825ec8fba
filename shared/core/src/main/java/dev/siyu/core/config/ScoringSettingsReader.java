package dev.siyu.core.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code lifecycle_automation.churn_early_warning.training}: checked like the rest, each problem at its line. */
final class ScoringSettingsReader {
    static final List<String> KEYS = List.of("label_window_days", "retrain", "features_off", "persona_k");

    private final ProblemLog log;

    ScoringSettingsReader(ProblemLog log) {
        this.log = log;
    }

    ScoringSettings read(YamlMap item) {
        item.allowOnly(KEYS);
        ScoringSettings d = ScoringSettings.DEFAULTS;
        int window = item.integer("label_window_days", 7, 365,
                " (days after the cutoff in which a customer who buys nothing counts as churned)").orElse(d.labelWindowDays());
        String retrain = item.choice("retrain", false, "retrain schedule", ScoringSettings.RETRAIN).orElse(d.retrain());
        Set<String> off = new TreeSet<>();
        item.strings("features_off", false).ifPresent(items -> {
            for (YamlMap.Item f : items) {
                if (ScoringSettings.FEATURES.contains(f.value())) {
                    off.add(f.value());
                } else {
                    log.add(f.where(), "unknown scoring feature '" + f.value() + "'; known: "
                            + String.join(", ", ScoringSettings.FEATURES));
                }
            }
        });
        int k = item.integer("persona_k", false).filter(v -> {
            if (v == 0 || (v >= 2 && v <= 12)) {
                return true;
            }
            log.add(item.at("persona_k"), "persona_k " + v + " must be 0 (chosen by the silhouette) or 2..12");
            return false;
        }).orElse(d.personaK());
        return new ScoringSettings(window, retrain, off, k);
    }

    /** The training settings of the blueprint, if its churn_early_warning journey has them. */
    static Optional<ScoringSettings> of(YamlMap top, ProblemLog log) {
        return top.map("lifecycle_automation", false)
                .flatMap(s -> s.has(CHURN_JOURNEY) ? s.map(CHURN_JOURNEY, false) : Optional.empty())
                .flatMap(j -> j.has("training") ? j.map("training", false) : Optional.empty())
                .map(new ScoringSettingsReader(log)::read);
    }

    static final String CHURN_JOURNEY = "churn_early_warning";
}
