package dev.siyu.store;

import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.Points;
import dev.siyu.core.profile.ProfileScores;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A profile's {@link Activity} <-> the map attribute {@code activity} of the PROFILE item.
 *
 * <p>It lives in the profile item, not an item of its own, so saving a profile stays one item
 * write and reading it one GetItem. Only what differs from {@link Activity#NONE} is written, and
 * nothing at all for a customer with no activity: a new contact's profile keeps the size (and the
 * 1 write unit) it had before activity existed, and items written before then read as NONE.
 */
final class ActivityItems {
    static final String ACTIVITY = "activity";

    private static final String TOTAL_SPEND = "total_spend";
    private static final String ORDER_COUNT = "order_count";
    private static final String FIRST_PURCHASE_AT = "first_purchase_at";
    private static final String LAST_PURCHASE_AT = "last_purchase_at";
    private static final String FIRST_REPLY_AT = "first_reply_at";
    private static final String LAST_INTERACTION_AT = "last_interaction_at";
    private static final String PURCHASE_CATEGORIES = "purchase_categories";
    private static final String CONSENT_GRANTED_AT = "consent_granted_at";
    private static final String CONSENT_WITHDRAWN_AT = "consent_withdrawn_at";
    private static final String STAGE = "stage";
    private static final String LOW_PRIORITY = "low_priority";
    private static final String CHURN_SCORE = "churn_score";
    private static final String GROUPS = "groups";
    private static final String LEFT_GROUPS = "left_groups";
    private static final String PERKS_CLAIMED = "perks_claimed";
    private static final String FLAGS = "flags";
    private static final String POINTS = "points";
    private static final String P_BALANCE = "balance";
    private static final String P_EARNED = "earned";
    private static final String P_TIER = "tier";
    private static final String SCORES = "scores";
    private static final List<String> SCORE_NUMBERS = List.of("p_alive", "expected_purchases", "clv", "engagement",
            "purchase_intent", "discount_sensitivity", "campaign_propensity");

    private ActivityItems() {
    }

    /** Adds the activity attribute to a profile item, unless there is no activity to record. */
    static void put(Map<String, AttributeValue> item, Activity a) {
        Map<String, AttributeValue> m = new HashMap<>();
        if (a.totalSpend() != 0) {
            m.put(TOTAL_SPEND, decimal(a.totalSpend(), TOTAL_SPEND));
        }
        if (a.orderCount() != 0) {
            m.put(ORDER_COUNT, Attrs.number(a.orderCount()));
        }
        Attrs.putInstant(m, FIRST_PURCHASE_AT, a.firstPurchaseAt());
        Attrs.putInstant(m, LAST_PURCHASE_AT, a.lastPurchaseAt());
        Attrs.putInstant(m, FIRST_REPLY_AT, a.firstReplyAt());
        Attrs.putInstant(m, LAST_INTERACTION_AT, a.lastInteractionAt());
        if (!a.purchaseCategories().isEmpty()) {
            Map<String, AttributeValue> categories = new HashMap<>();
            a.purchaseCategories().forEach((category, at) -> categories.put(category, AttributeValue.fromS(at.toString())));
            m.put(PURCHASE_CATEGORIES, AttributeValue.fromM(categories));
        }
        Attrs.putInstant(m, CONSENT_GRANTED_AT, a.consentGrantedAt());
        Attrs.putInstant(m, CONSENT_WITHDRAWN_AT, a.consentWithdrawnAt());
        Attrs.putString(m, STAGE, a.stage());
        if (a.lowPriority()) {
            m.put(LOW_PRIORITY, AttributeValue.fromBool(true));
        }
        if (a.churnScore() != null) {
            m.put(CHURN_SCORE, decimal(a.churnScore(), CHURN_SCORE));
        }
        if (!a.groups().isEmpty()) {
            Map<String, AttributeValue> groups = new HashMap<>();
            a.groups().forEach((chatId, type) -> groups.put(chatId, AttributeValue.fromS(type)));
            m.put(GROUPS, AttributeValue.fromM(groups));
        }
        // String sets cannot be empty in DynamoDB; an empty set is simply left out.
        if (!a.leftGroups().isEmpty()) {
            m.put(LEFT_GROUPS, AttributeValue.fromSs(List.copyOf(a.leftGroups())));
        }
        if (a.perksClaimed() != 0) {
            m.put(PERKS_CLAIMED, Attrs.number(a.perksClaimed()));
        }
        if (!a.flags().isEmpty()) {
            m.put(FLAGS, AttributeValue.fromSs(List.copyOf(a.flags())));
        }
        if (!a.points().equals(Points.NONE)) {
            Map<String, AttributeValue> p = new HashMap<>();
            p.put(P_BALANCE, Attrs.number(a.points().balance()));
            p.put(P_EARNED, Attrs.number(a.points().earned()));
            Attrs.putString(p, P_TIER, a.points().tier());
            m.put(POINTS, AttributeValue.fromM(p));
        }
        if (a.scores() != null) {
            m.put(SCORES, AttributeValue.fromM(scores(a.scores())));
        }
        if (!m.isEmpty()) {
            item.put(ACTIVITY, AttributeValue.fromM(m));
        }
    }

    /** The activity of a profile item; {@link Activity#NONE} for items without one (written before it existed). */
    static Activity read(Map<String, AttributeValue> item) {
        AttributeValue attribute = item.get(ACTIVITY);
        if (attribute == null || !attribute.hasM()) {
            return Activity.NONE;
        }
        Map<String, AttributeValue> m = attribute.m();
        Map<String, Instant> categories = new LinkedHashMap<>();
        AttributeValue c = m.get(PURCHASE_CATEGORIES);
        if (c != null && c.hasM()) {
            c.m().forEach((category, at) -> categories.put(category, Instant.parse(at.s())));
        }
        Map<String, String> groups = new LinkedHashMap<>();
        AttributeValue g = m.get(GROUPS);
        if (g != null && g.hasM()) {
            g.m().forEach((chatId, type) -> groups.put(chatId, type.s()));
        }
        AttributeValue churn = m.get(CHURN_SCORE);
        AttributeValue low = m.get(LOW_PRIORITY);
        return new Activity(
                m.containsKey(TOTAL_SPEND) ? Double.parseDouble(m.get(TOTAL_SPEND).n()) : 0,
                (int) Attrs.number(m, ORDER_COUNT),
                Attrs.instant(m, FIRST_PURCHASE_AT), Attrs.instant(m, LAST_PURCHASE_AT),
                Attrs.instant(m, FIRST_REPLY_AT), Attrs.instant(m, LAST_INTERACTION_AT),
                categories,
                Attrs.instant(m, CONSENT_GRANTED_AT), Attrs.instant(m, CONSENT_WITHDRAWN_AT),
                Attrs.string(m, STAGE),
                low != null && Boolean.TRUE.equals(low.bool()),
                churn == null || churn.n() == null ? null : Double.parseDouble(churn.n()),
                groups, stringSet(m.get(LEFT_GROUPS)), (int) Attrs.number(m, PERKS_CLAIMED), stringSet(m.get(FLAGS)),
                points(m.get(POINTS)), scores(m.get(SCORES)));
    }

    private static Map<String, AttributeValue> scores(ProfileScores s) {
        Map<String, AttributeValue> m = new HashMap<>();
        double[] numbers = {s.probabilityAlive(), s.expectedPurchases(), s.clv(), s.engagement(), s.purchaseIntent(),
                s.discountSensitivity(), s.campaignPropensity()};
        for (int i = 0; i < numbers.length; i++) {
            m.put(SCORE_NUMBERS.get(i), decimal(numbers[i], SCORE_NUMBERS.get(i)));
        }
        Attrs.putString(m, "ltv_tier", s.ltvTier());
        Attrs.putString(m, "persona", s.persona());
        Attrs.putString(m, "model", s.model());
        Attrs.putInstant(m, "scored_at", s.scoredAt());
        return m;
    }

    private static ProfileScores scores(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = v.m();
        double[] n = new double[SCORE_NUMBERS.size()];
        for (int i = 0; i < n.length; i++) {
            AttributeValue x = m.get(SCORE_NUMBERS.get(i));
            n[i] = x == null || x.n() == null ? 0 : Double.parseDouble(x.n());
        }
        String persona = Attrs.string(m, "persona");
        return new ProfileScores(n[0], n[1], n[2], Attrs.string(m, "ltv_tier"), persona == null ? "" : persona, n[3],
                n[4], n[5], n[6], Attrs.string(m, "model"), Attrs.instant(m, "scored_at"));
    }

    /**
     * Plain decimal text: DynamoDB numbers are decimal, and BigDecimal.valueOf keeps the shortest
     * text that parses back to the same double, so 0.1 stays 0.1 and reads back exactly.
     */
    private static AttributeValue decimal(double value, String name) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number: " + value);
        }
        return AttributeValue.fromN(BigDecimal.valueOf(value).toPlainString());
    }

    private static Points points(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return Points.NONE;
        }
        Map<String, AttributeValue> p = v.m();
        return new Points(Attrs.number(p, P_BALANCE), Attrs.number(p, P_EARNED), Attrs.string(p, P_TIER));
    }

    private static Set<String> stringSet(AttributeValue v) {
        return v != null && v.hasSs() ? new TreeSet<>(v.ss()) : Set.of();
    }
}
