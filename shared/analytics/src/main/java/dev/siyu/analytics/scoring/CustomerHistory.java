package dev.siyu.analytics.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the features are computed from: when the customer was added, their membership tier (0 = none) and
 * everything they did, oldest first (sorted here, so the features can stop at the cutoff).
 */
public record CustomerHistory(String customerId, Instant addedAt, int tier, List<Happening> happenings) {
    public CustomerHistory {
        List<Happening> sorted = new ArrayList<>(happenings);
        sorted.sort(Comparator.comparing(Happening::at));
        happenings = List.copyOf(sorted);
    }
}
