package dev.siyu.core.miniapp;

import java.util.List;
import java.util.Optional;

/**
 * What members can spend points on and the challenges they can take part in. A perk (a coupon, flash-sale
 * access) goes through PerkPolicy before the points are spent; a plain reward (a sample, a gift wrap) does not.
 * A challenge's measure is one the profile already keeps: orders placed, points earned, or Mini Program
 * interactions (page views, clicks, shares, feedback) recorded on the timeline.
 */
public record MemberCatalog(List<Reward> rewards, List<Challenge> challenges) {
    public MemberCatalog {
        rewards = List.copyOf(rewards);
        challenges = List.copyOf(challenges);
    }

    public record Reward(String id, String name, long points, boolean perk) { }

    public enum Measure { ORDERS, POINTS_EARNED, INTERACTIONS }

    public record Challenge(String id, String name, Measure measure, long target) { }

    public Optional<Reward> reward(String id) {
        return rewards.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The example brand's catalogue (the blueprint's membership section does not declare one yet). */
    public static MemberCatalog example() {
        return new MemberCatalog(List.of(
                new Reward("sample-kit", "Travel-size sample kit", 100, false),
                new Reward("coupon-50", "CNY 50 coupon on orders over CNY 300", 500, true),
                new Reward("gift-wrap", "Gift wrapping", 50, false)),
                List.of(new Challenge("first-order", "Place your first order", Measure.ORDERS, 1),
                        new Challenge("three-orders", "Three orders", Measure.ORDERS, 3),
                        new Challenge("explorer", "Browse 10 pages or products", Measure.INTERACTIONS, 10),
                        new Challenge("gold-path", "Earn 2000 points", Measure.POINTS_EARNED, 2000)));
    }
}
