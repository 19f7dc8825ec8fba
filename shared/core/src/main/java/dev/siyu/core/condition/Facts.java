package dev.siyu.core.condition;

import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables conditions see, built from a profile at a point in time. Names are snake_case as
 * operators write them in the YAML. Integers are Long and money is double (CEL's int and double).
 *
 * <p>customer: id, name, channel, city, store_id, tags (list), stage, total_spend, order_count,
 * has_purchased, perks_claimed, churn_score (0.0 when never scored), low_priority, consent (granted
 * now), groups (group type names), added_at, last_purchase_at and last_interaction_at (the add time
 * when none yet), days_since_added, days_since_last_purchase, days_since_last_interaction (whole
 * days, counted from the add when there was none), flags (list), points (the spendable balance), points_earned
 * (earned in all, the tier's measure) and tier (the membership tier's name, "" before the first order).
 */
public final class Facts {
    private Facts() {
    }

    public static Map<String, Object> customer(CustomerProfile p, Instant now) {
        Activity a = p.activity();
        Instant added = p.createdAt() == null ? now : p.createdAt();
        Instant lastPurchase = a.lastPurchaseAt() == null ? added : a.lastPurchaseAt();
        Instant lastInteraction = a.lastInteractionAt() == null ? added : a.lastInteractionAt();
        Map<String, Object> c = new HashMap<>();
        c.put("id", p.customerId());
        c.put("name", nz(p.name()));
        c.put("channel", nz(p.channel()));
        c.put("city", nz(p.city()));
        c.put("store_id", nz(p.storeId()));
        c.put("tags", new ArrayList<>(p.tags()));
        c.put("stage", nz(a.stage()));
        c.put("total_spend", a.totalSpend());
        c.put("order_count", (long) a.orderCount());
        c.put("has_purchased", a.orderCount() > 0);
        c.put("perks_claimed", (long) a.perksClaimed());
        c.put("churn_score", a.churnScore() == null ? 0.0 : a.churnScore());
        c.put("low_priority", a.lowPriority());
        c.put("consent", a.consentGrantedAt() != null
                && (a.consentWithdrawnAt() == null || a.consentGrantedAt().isAfter(a.consentWithdrawnAt())));
        c.put("groups", List.copyOf(a.groups().values()));
        c.put("flags", new ArrayList<>(a.flags()));
        c.put("points", a.points().balance());
        c.put("points_earned", a.points().earned());
        c.put("tier", nz(a.points().tier()));
        c.put("added_at", added);
        c.put("last_purchase_at", lastPurchase);
        c.put("last_interaction_at", lastInteraction);
        c.put("days_since_added", days(added, now));
        c.put("days_since_last_purchase", days(lastPurchase, now));
        c.put("days_since_last_interaction", days(lastInteraction, now));
        return c;
    }

    /** Whole days from..now, never negative. */
    public static long days(Instant from, Instant now) {
        return Math.max(0, Duration.between(from, now).toDays());
    }

    /** The variables for one evaluation. run and event may be empty maps. */
    public static Map<String, Object> vars(Map<String, Object> customer, Map<String, Object> run,
                                           Map<String, String> event, Instant now) {
        return Map.of("customer", customer, "run", run, "event", event, "now", now);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
