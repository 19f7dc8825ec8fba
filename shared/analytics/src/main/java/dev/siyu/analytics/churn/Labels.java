package dev.siyu.analytics.churn;

import dev.siyu.analytics.data.InputException;
import java.util.Locale;
import java.util.Set;

/** A label column read as churned (1) or not (0): yes/no, true/false, 1/0, y/n, churned/retained, in any case. */
final class Labels {
    private static final Set<String> POSITIVE = Set.of("yes", "y", "true", "t", "1", "1.0", "churned", "churn");
    private static final Set<String> NEGATIVE = Set.of("no", "n", "false", "f", "0", "0.0", "retained", "stayed", "active");

    private Labels() {
    }

    static float[] of(Table table, int column) {
        float[] labels = new float[table.rows().size()];
        for (int i = 0; i < labels.length; i++) {
            String v = table.rows().get(i).get(column).trim().toLowerCase(Locale.ROOT);
            if (POSITIVE.contains(v)) {
                labels[i] = 1;
            } else if (NEGATIVE.contains(v)) {
                labels[i] = 0;
            } else {
                throw new InputException(table.name() + " row " + (i + 1) + ": label " + table.columns().get(column) + " is '"
                        + table.rows().get(i).get(column) + "'; expected yes/no, true/false or 1/0");
            }
        }
        return labels;
    }
}
