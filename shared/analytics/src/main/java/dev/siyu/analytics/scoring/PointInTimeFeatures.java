package dev.siyu.analytics.scoring;

import java.time.Instant;

/**
 * {@link ProfileFeatures} of a customer as of a cutoff. The history is sorted, so the loop stops at the first
 * happening after the cutoff: nothing later can reach a feature (the label window of training lies after the
 * cutoff, so this is what keeps training free of leakage). One pass, no allocation beyond the result: the
 * nightly batch computes this for every customer.
 */
public final class PointInTimeFeatures {
    private static final double DAY = 86_400.0;

    private PointInTimeFeatures() {
    }

    public static ProfileFeatures at(CustomerHistory h, Instant cutoff) {
        long end = cutoff.getEpochSecond();
        double endDay = end / DAY;
        long last30 = end - 30L * 86_400;
        long last60 = end - 60L * 86_400;
        long last90 = end - 90L * 86_400;
        long currentDay = Long.MIN_VALUE;
        double dayTotal = 0;
        int purchaseDays = 0;
        double total = 0;
        double repeatTotal = 0;
        long firstDay = 0;
        long lastDay = 0;
        int used = 0;
        int ignored = 0;
        int opened30 = 0;
        int posts30 = 0;
        int postsBefore = 0;
        int moments30 = 0;
        int momentsBefore = 0;
        int exits = 0;
        int interactions30 = 0;
        for (Happening e : h.happenings()) {
            long at = e.at().getEpochSecond();
            if (at > end) {
                break;
            }
            boolean recent = at > last30;
            boolean before = !recent && at > last60;
            switch (e.kind()) {
                case PURCHASE -> {
                    long day = Math.floorDiv(at, 86_400L);
                    if (day != currentDay) {
                        if (purchaseDays > 0) {
                            repeatTotal += purchaseDays > 1 ? dayTotal : 0;
                        } else {
                            firstDay = day;
                        }
                        purchaseDays++;
                        currentDay = day;
                        dayTotal = 0;
                        lastDay = day;
                    }
                    dayTotal += e.amount();
                    total += e.amount();
                }
                case MESSAGE_OPENED, REPLY -> {
                    if (recent) {
                        opened30++;
                        interactions30++;
                    }
                }
                case MOMENTS_INTERACTION -> {
                    if (recent) {
                        moments30++;
                        interactions30++;
                    } else if (before) {
                        momentsBefore++;
                    }
                }
                case GROUP_POST -> {
                    if (recent) {
                        posts30++;
                        interactions30++;
                    } else if (before) {
                        postsBefore++;
                    }
                }
                case GROUP_LEFT, GROUP_MUTED -> {
                    if (at > last90) {
                        exits++;
                    }
                }
                case COUPON_USED -> used++;
                case COUPON_IGNORED -> ignored++;
                case GROUP_JOINED -> {
                    // Joining is not a signal of its own here; leaving and muting are.
                }
            }
        }
        if (purchaseDays > 1) {
            repeatTotal += dayTotal;
        }
        double added = h.addedAt() == null ? (purchaseDays > 0 ? firstDay : endDay) : h.addedAt().getEpochSecond() / DAY;
        double tenure = Math.max(0, Math.floor(endDay - added));
        double sincePurchase = purchaseDays > 0 ? Math.floor(endDay) - lastDay : Double.NaN;
        double recency = purchaseDays > 0 ? sincePurchase : tenure;
        int repeats = Math.max(0, purchaseDays - 1);
        double tx = purchaseDays > 0 ? (lastDay - firstDay) / 7.0 : 0;
        double age = purchaseDays > 0 ? Math.max(tx, (Math.floor(endDay) - firstDay) / 7.0) : 0;
        return new ProfileFeatures(h.customerId(), recency, purchaseDays, purchaseDays > 0 ? total / purchaseDays : 0,
                tenure, h.tier(), used, ignored, opened30, sincePurchase,
                (posts30 - postsBefore) / (postsBefore + 1.0), (momentsBefore - moments30) / (momentsBefore + 1.0),
                exits, interactions30, repeats, tx, age, repeats > 0 ? repeatTotal / repeats : 0);
    }
}
