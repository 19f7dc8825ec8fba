package dev.siyu.analytics.scoring;

import java.util.List;

/**
 * One customer's features as of a cutoff, from what happened on or before it only. Days are whole days.
 *
 * @param recencyDays               days since the last purchase, or since the add without one
 * @param purchaseDays              distinct days with a purchase (RFM frequency)
 * @param monetary                  mean spend per purchase day (0 without a purchase)
 * @param tenureDays                days since the add
 * @param tier                      membership tier (0 = none)
 * @param couponsUsed               coupons redeemed
 * @param couponsIgnored            coupons that expired unused
 * @param messagesOpened30          messages opened or replied to in the last 30 days (seed signal 1)
 * @param daysSinceLastPurchase     NaN without a purchase, so the trees route it as missing (seed signal 2)
 * @param communityEngagementChange group posts in the last 30 days minus the 30 before, over the earlier count + 1
 *                                  (seed signal 3: negative = less engaged)
 * @param momentsDecline            Moments interactions in the 30 days before the last 30 minus the last 30, over
 *                                  the earlier count + 1 (seed signal 4: positive = declining)
 * @param groupExitsOrMutes         group exits and mutes in the last 90 days (seed signal 5)
 * @param interactions30            replies, opens, Moments interactions and group posts in the last 30 days
 * @param repeatPurchases           BG/NBD x: purchase days after the first
 * @param firstToLastWeeks          BG/NBD t_x in weeks
 * @param firstToCutoffWeeks        BG/NBD T in weeks (0 without a purchase)
 * @param repeatMonetary            Gamma-Gamma m: mean of the repeat days' totals
 */
public record ProfileFeatures(String customerId, double recencyDays, int purchaseDays, double monetary, double tenureDays,
                              int tier, int couponsUsed, int couponsIgnored, int messagesOpened30,
                              double daysSinceLastPurchase, double communityEngagementChange, double momentsDecline,
                              int groupExitsOrMutes, int interactions30, int repeatPurchases, double firstToLastWeeks,
                              double firstToCutoffWeeks, double repeatMonetary) {

    /** The model's columns, in {@link #row}'s order. */
    public static final List<String> NAMES = List.of("recency_days", "purchase_days", "monetary", "tenure_days", "tier",
            "coupons_used", "coupons_ignored", "messages_opened_30d", "days_since_last_purchase",
            "community_engagement_change", "moments_decline", "group_exits_or_mutes");

    /** The row the churn model reads, with the blueprint's disabled features as NaN (missing). */
    public float[] row(FeatureToggles toggles) {
        float[] r = {(float) recencyDays, purchaseDays, (float) monetary, (float) tenureDays, tier, couponsUsed,
                couponsIgnored, messagesOpened30, (float) daysSinceLastPurchase, (float) communityEngagementChange,
                (float) momentsDecline, groupExitsOrMutes};
        toggles.blank(r);
        return r;
    }

    public boolean purchased() {
        return purchaseDays > 0;
    }
}
