package dev.siyu.analytics.scoring;

/**
 * The blueprint's training settings ({@code lifecycle_automation.churn_early_warning.training}).
 *
 * @param labelWindowDays a customer churned when they bought nothing in this many days after the cutoff
 * @param personaK        the number of personas; 0 = chosen by the silhouette (3..8)
 * @param toggles         the features switched off
 */
public record TrainingSettings(int labelWindowDays, int personaK, FeatureToggles toggles) {
    public static final TrainingSettings DEFAULT = new TrainingSettings(90, 0, FeatureToggles.ALL_ON);

    public TrainingSettings {
        if (labelWindowDays < 7 || labelWindowDays > 365) {
            throw new IllegalArgumentException("label window must be 7..365 days: " + labelWindowDays);
        }
        if (personaK != 0 && (personaK < 2 || personaK > 12)) {
            throw new IllegalArgumentException("persona k must be 0 (automatic) or 2..12: " + personaK);
        }
    }
}
