package dev.siyu.analytics.churn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.siyu.analytics.data.InputException;
import java.util.List;

/**
 * What a trained churn model is and how good it is, stored beside the model as model-card.json: the data
 * it saw, the label, how columns were encoded (scoring needs it), the split, the holdout AUC, the
 * calibration table, the most important features and the settings.
 */
public record ModelCard(int formatVersion, String model, String modelFile, String modelFormat, String trainedAt,
                        String source, String label, String idColumn, int rows, int churned, int retained,
                        int trainingRows, int validationRows, int holdoutRows, int features, int rounds, double holdoutAuc,
                        double trainingSeconds, BoostSettings settings, List<CalibrationBin> calibration,
                        List<Importance> importance, List<String> skippedColumns, Encoding encoding) {

    public static final String FILE = "model-card.json";

    /** A feature's share of the model's total split gain. */
    public record Importance(String feature, double gainShare) {
    }

    private static ObjectMapper json() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public String toJson() {
        try {
            return json().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelCard fromJson(String text, String fileName) {
        try {
            return json().readValue(text, ModelCard.class);
        } catch (JsonProcessingException e) {
            throw new InputException(fileName + " is not a model card: " + e.getOriginalMessage());
        }
    }
}
