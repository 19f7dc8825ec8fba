package dev.siyu.analytics.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The features an administrator turned off in the blueprint's training settings: their column stays in the
 * row (so a stored model's column order never shifts) but reads as missing, which the trees route by their
 * default branch, so a switched-off signal contributes nothing learned from its values.
 */
public record FeatureToggles(Set<String> off) {
    public static final FeatureToggles ALL_ON = new FeatureToggles(Set.of());

    public FeatureToggles {
        off = Set.copyOf(off);
        List<String> unknown = new ArrayList<>(off);
        unknown.removeAll(ProfileFeatures.NAMES);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown features " + unknown + "; known: " + ProfileFeatures.NAMES);
        }
    }

    void blank(float[] row) {
        if (off.isEmpty()) {
            return;
        }
        for (int i = 0; i < row.length; i++) {
            if (off.contains(ProfileFeatures.NAMES.get(i))) {
                row[i] = Float.NaN;
            }
        }
    }
}
