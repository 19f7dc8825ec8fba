package dev.siyu.analytics.churn;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores every row of a table with a trained model: encoded as at training (the label column, if present,
 * is never read; categories the model has not seen count as none of its known ones).
 */
public final class ChurnScoring {
    private ChurnScoring() {
    }

    public record Score(String id, double score) {
    }

    /** {@code idColumn} null: the card's id column when the table has it, else the row number (1 = first row). */
    public static List<Score> score(ModelCard card, ChurnLearner.BoostedModel model, Table table, String idColumn) {
        String idName = idColumn != null ? idColumn
                : card.idColumn() != null && table.columns().contains(card.idColumn()) ? card.idColumn() : null;
        int id = idName == null ? -1 : table.column(idName, "--id");
        float[] scores = model.predict(card.encoding().encode(table));
        List<Score> out = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            out.add(new Score(id < 0 ? String.valueOf(i + 1) : table.rows().get(i).get(id), scores[i]));
        }
        return out;
    }
}
