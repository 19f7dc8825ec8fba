package dev.siyu.core.profile;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the customer did and where they stand: purchases, interactions, consent, lifecycle stage,
 * groups. Journeys, conditions, the daily rules and the reports read it; the callback, the Mini
 * Program and the daily rules write it.
 *
 * @param totalSpend          cumulative spend in yuan
 * @param firstReplyAt        the customer's first message to a staff member (the funnel's first interaction)
 * @param lastInteractionAt   the latest reply, click or group post; null when none yet
 * @param purchaseCategories  product category -> time of the latest purchase in it (repurchase cycles)
 * @param consentGrantedAt    the latest marketing-consent grant (PIPL); null when never granted
 * @param consentWithdrawnAt  the latest withdrawal; null when never withdrawn
 * @param stage               the lifecycle stage (new, growth, mature, dormant, churn_warning, churned)
 * @param lowPriority         outreach frequency reduced (the dormant flow's last step)
 * @param churnScore          the latest churn probability in [0, 1]; null when never scored
 * @param groups              customer groups the customer is in: chatId -> group type name
 * @param leftGroups          groups the customer left: never contacted through them again
 * @param perksClaimed        coupons and perks claimed so far (freeloader checks)
 * @param flags               what the daily rules flagged, e.g. abnormal_claims
 * @param points              the membership's points balance, points earned and tier (the ledger keeps the entries)
 * @param scores              the latest scoring besides churn (P(alive), CLV, persona, propensities); null when never scored
 */
public record Activity(double totalSpend, int orderCount, Instant firstPurchaseAt, Instant lastPurchaseAt,
                       Instant firstReplyAt, Instant lastInteractionAt, Map<String, Instant> purchaseCategories,
                       Instant consentGrantedAt, Instant consentWithdrawnAt, String stage, boolean lowPriority,
                       Double churnScore, Map<String, String> groups, Set<String> leftGroups, int perksClaimed,
                       Set<String> flags, Points points, ProfileScores scores) {
    public static final Activity NONE = new Activity(0, 0, null, null, null, null, Map.of(), null, null, null, false,
            null, Map.of(), Set.of(), 0, Set.of(), Points.NONE, null);

    public Activity {
        purchaseCategories = Map.copyOf(purchaseCategories);
        groups = Map.copyOf(groups);
        leftGroups = Set.copyOf(new TreeSet<>(leftGroups));
        flags = Set.copyOf(new TreeSet<>(flags));
        points = points == null ? Points.NONE : points;
    }

    /** An activity with no points recorded (before the membership existed). */
    public Activity(double totalSpend, int orderCount, Instant firstPurchaseAt, Instant lastPurchaseAt,
                    Instant firstReplyAt, Instant lastInteractionAt, Map<String, Instant> purchaseCategories,
                    Instant consentGrantedAt, Instant consentWithdrawnAt, String stage, boolean lowPriority,
                    Double churnScore, Map<String, String> groups, Set<String> leftGroups, int perksClaimed,
                    Set<String> flags) {
        this(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, groups,
                leftGroups, perksClaimed, flags, Points.NONE, null);
    }

    /** An activity never scored beyond churn. */
    public Activity(double totalSpend, int orderCount, Instant firstPurchaseAt, Instant lastPurchaseAt,
                    Instant firstReplyAt, Instant lastInteractionAt, Map<String, Instant> purchaseCategories,
                    Instant consentGrantedAt, Instant consentWithdrawnAt, String stage, boolean lowPriority,
                    Double churnScore, Map<String, String> groups, Set<String> leftGroups, int perksClaimed,
                    Set<String> flags, Points points) {
        this(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, groups,
                leftGroups, perksClaimed, flags, points, null);
    }

    /** The scoring's churn score and the rest of its scores. */
    public Activity scored(double churn, ProfileScores next) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority,
                Double.isNaN(churn) ? churnScore : Double.valueOf(churn), groups, leftGroups, perksClaimed, flags, points,
                next);
    }

    public Activity withPoints(Points next) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, groups,
                leftGroups, perksClaimed, flags, next, scores);
    }

    /**
     * An order placed at at, which may arrive after later ones (ingestion from a till that was offline): the
     * latest purchase and each category's time only move forward, the first only backward.
     */
    public Activity ordered(double amount, Set<String> categories, Instant at) {
        Map<String, Instant> cats = new LinkedHashMap<>(purchaseCategories);
        for (String c : categories) {
            cats.merge(c, at, (had, now) -> now.isAfter(had) ? now : had);
        }
        Instant first = firstPurchaseAt == null || at.isBefore(firstPurchaseAt) ? at : firstPurchaseAt;
        Instant last = lastPurchaseAt == null || at.isAfter(lastPurchaseAt) ? at : lastPurchaseAt;
        Instant interaction = lastInteractionAt == null || at.isAfter(lastInteractionAt) ? at : lastInteractionAt;
        return new Activity(totalSpend + amount, orderCount + 1, first, last, firstReplyAt, interaction, cats,
                consentGrantedAt, consentWithdrawnAt, stage, false, churnScore, groups, leftGroups, perksClaimed, flags,
                points, scores);
    }

    /** An interaction that happened at at, possibly reported after later ones: the latest time only moves forward. */
    public Activity interactedAt(Instant at) {
        Instant latest = lastInteractionAt == null || at.isAfter(lastInteractionAt) ? at : lastInteractionAt;
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, latest,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, false, churnScore, groups, leftGroups,
                perksClaimed, flags, points, scores);
    }

    public Activity purchased(double amount, String category, Instant at) {
        Map<String, Instant> cats = new LinkedHashMap<>(purchaseCategories);
        if (category != null) {
            cats.put(category, at);
        }
        return new Activity(totalSpend + amount, orderCount + 1, firstPurchaseAt == null ? at : firstPurchaseAt, at,
                firstReplyAt, at, cats, consentGrantedAt, consentWithdrawnAt, stage, false, churnScore, groups,
                leftGroups, perksClaimed, flags, points, scores);
    }

    /** A reply, click or group post: the customer is engaged, so a low priority is lifted. */
    public Activity interacted(Instant at, boolean reply) {
        Instant first = reply && firstReplyAt == null ? at : firstReplyAt;
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, first, at, purchaseCategories,
                consentGrantedAt, consentWithdrawnAt, stage, false, churnScore, groups, leftGroups, perksClaimed,
                flags, points, scores);
    }

    public Activity consentGranted(Instant at) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, at, consentWithdrawnAt, stage, lowPriority, churnScore, groups, leftGroups,
                perksClaimed, flags, points, scores);
    }

    public Activity consentWithdrawn(Instant at) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, at, stage, lowPriority, churnScore, groups, leftGroups,
                perksClaimed, flags, points, scores);
    }

    public Activity withStage(String newStage) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, newStage, lowPriority, churnScore, groups,
                leftGroups, perksClaimed, flags, points, scores);
    }

    public Activity withLowPriority(boolean low) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, low, churnScore, groups, leftGroups,
                perksClaimed, flags, points, scores);
    }

    public Activity withChurnScore(double score) {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, score, groups,
                leftGroups, perksClaimed, flags, points, scores);
    }

    /** groupType is empty for a group that is not one of the blueprint's types. */
    public Activity joinedGroup(String chatId, String groupType) {
        Map<String, String> next = new LinkedHashMap<>(groups);
        next.put(chatId, groupType == null ? "" : groupType);
        Set<String> left = new TreeSet<>(leftGroups);
        left.remove(chatId);
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, next, left,
                perksClaimed, flags, points, scores);
    }

    public Activity leftGroup(String chatId) {
        Map<String, String> next = new LinkedHashMap<>(groups);
        next.remove(chatId);
        Set<String> left = new TreeSet<>(leftGroups);
        left.add(chatId);
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, next, left,
                perksClaimed, flags, points, scores);
    }

    public Activity claimedPerk() {
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, groups,
                leftGroups, perksClaimed + 1, flags, points, scores);
    }

    public Activity flagged(String flag) {
        Set<String> next = new TreeSet<>(flags);
        next.add(flag);
        return new Activity(totalSpend, orderCount, firstPurchaseAt, lastPurchaseAt, firstReplyAt, lastInteractionAt,
                purchaseCategories, consentGrantedAt, consentWithdrawnAt, stage, lowPriority, churnScore, groups,
                leftGroups, perksClaimed, next, points, scores);
    }
}
