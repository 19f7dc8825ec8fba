package dev.siyu.analytics.churn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of a training table turned into a numeric matrix, learned from the training rows and stored
 * in the model card so scoring encodes new files the same way. A column is numeric when every non-blank
 * value parses as a number; otherwise categorical with its {@value #MAX_CATEGORIES} most frequent values
 * one-hot encoded; a text column with more distinct values than half the rows (an identifier) is skipped.
 */
public record Encoding(List<ColumnSpec> columns, List<String> featureNames) {
    static final int MAX_CATEGORIES = 50;

    public static Encoding learn(Table table, int label, int id) {
        List<ColumnSpec> specs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int rows = table.rows().size();
        for (int c = 0; c < table.columns().size(); c++) {
            String name = table.columns().get(c);
            if (c == label || c == id) {
                continue;
            }
            boolean numeric = true;
            boolean any = false;
            Map<String, Integer> counts = new HashMap<>();
            for (List<String> row : table.rows()) {
                String v = row.get(c).trim();
                if (v.isEmpty()) {
                    continue;
                }
                any = true;
                counts.merge(v, 1, Integer::sum);
                if (numeric && !isNumber(v)) {
                    numeric = false;
                }
            }
            if (!any) {
                specs.add(new ColumnSpec(name, ColumnSpec.Kind.SKIPPED, List.of()));
            } else if (numeric) {
                specs.add(new ColumnSpec(name, ColumnSpec.Kind.NUMERIC, List.of()));
                names.add(name);
            } else if (counts.size() > Math.max(MAX_CATEGORIES, rows / 2)) {
                specs.add(new ColumnSpec(name, ColumnSpec.Kind.SKIPPED, List.of()));
            } else {
                List<String> categories = counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(MAX_CATEGORIES).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
                specs.add(new ColumnSpec(name, ColumnSpec.Kind.CATEGORICAL, categories));
                for (String category : categories) {
                    names.add(name + "=" + category);
                }
            }
        }
        return new Encoding(specs, names);
    }

    /** Rows of {@code table} as features; columns are found by name, so their order in the file does not matter. */
    public float[][] encode(Table table) {
        int[] index = new int[columns.size()];
        for (int s = 0; s < columns.size(); s++) {
            index[s] = columns.get(s).kind() == ColumnSpec.Kind.SKIPPED ? -1 : table.column(columns.get(s).name(), "the model's features");
        }
        List<Map<String, Integer>> positions = new ArrayList<>();
        for (ColumnSpec spec : columns) {
            Map<String, Integer> p = new HashMap<>();
            for (int i = 0; i < spec.categories().size(); i++) {
                p.put(spec.categories().get(i), i);
            }
            positions.add(p);
        }
        float[][] out = new float[table.rows().size()][];
        for (int r = 0; r < out.length; r++) {
            List<String> row = table.rows().get(r);
            float[] f = new float[featureNames.size()];
            int at = 0;
            for (int s = 0; s < columns.size(); s++) {
                ColumnSpec spec = columns.get(s);
                if (spec.kind() == ColumnSpec.Kind.NUMERIC) {
                    String v = row.get(index[s]).trim();
                    f[at++] = v.isEmpty() || !isNumber(v) ? Float.NaN : Float.parseFloat(v);
                } else if (spec.kind() == ColumnSpec.Kind.CATEGORICAL) {
                    Integer p = positions.get(s).get(row.get(index[s]).trim());
                    if (p != null) {
                        f[at + p] = 1;
                    }
                    at += spec.categories().size();
                }
            }
            out[r] = f;
        }
        return out;
    }

    static boolean isNumber(String v) {
        try {
            return Double.isFinite(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
