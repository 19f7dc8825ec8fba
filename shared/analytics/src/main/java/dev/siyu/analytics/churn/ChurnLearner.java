package dev.siyu.analytics.churn;

import java.util.List;
import java.util.Map;

/**
 * The port to a gradient-boosting library (XGBoost4J in shared/analytics-xgboost): everything else about
 * churn training (encoding, splits, AUC, calibration, the model card) is plain Java here.
 */
public interface ChurnLearner {

    /** Trains on {@code train}, stopping when {@code validation}'s log loss has not improved for the settings' patience. */
    BoostedModel train(FeatureMatrix train, FeatureMatrix validation, BoostSettings settings);

    /** A model from {@link BoostedModel#save()}'s bytes. */
    BoostedModel load(byte[] saved);

    /** Rows, labels (1 = churned) and the feature names in column order. */
    record FeatureMatrix(float[][] rows, float[] labels, List<String> featureNames) {
    }

    interface BoostedModel {
        /** P(churn) per row; missing values are NaN. */
        float[] predict(float[][] rows);

        /** The model in the library's own format (UBJSON for XGBoost), trees beyond the best round included. */
        byte[] save();

        /** The number of boosting rounds kept by early stopping. */
        int rounds();

        /** Total gain per feature name (features never split on are absent). */
        Map<String, Double> gain();

        /** The library's file format name, for the model card. */
        String format();
    }
}
