package dev.siyu.analytics.churn;

import java.util.List;

/**
 * How one input column becomes features: a number (blank = missing, which the booster routes on its own),
 * or a category one-hot encoded over {@code categories} (blank or unseen = all zeros), or skipped.
 */
public record ColumnSpec(String name, Kind kind, List<String> categories) {
    public enum Kind { NUMERIC, CATEGORICAL, SKIPPED }
}
