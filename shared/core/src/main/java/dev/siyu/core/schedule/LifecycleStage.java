package dev.siyu.core.schedule;

import dev.siyu.core.condition.Facts;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Instant;

/**
 * The seed's lifecycle stages and the tag each one shows as (tag_system "Lifecycle Stage"). The daily
 * rules recalculate the stage of every customer; {@link Activity#stage()} holds {@link #code()}.
 *
 * <p>Precisely, first match wins:
 * <ol>
 *   <li>{@link #CHURNED}: no interaction and no purchase for {@value #CHURNED_DAYS} days or more;</li>
 *   <li>{@link #DORMANT}: no interaction and no purchase for {@value #DORMANT_DAYS} days or more;</li>
 *   <li>{@link #CHURN_WARNING}: churn score above {@value #WARNING_SCORE};</li>
 *   <li>by tenure (whole days since the customer was added): {@link #NEW} under {@value #NEW_DAYS},
 *       {@link #GROWTH} under {@value #GROWTH_DAYS}, else {@link #MATURE}.</li>
 * </ol>
 * Days without interaction or purchase count from the add when there was none yet (as in {@link Facts}).
 *
 * <p>Why dormancy outranks the warning: the warning is the early signal that starts a senior advisor's
 * intervention while the customer is still reachable. Any churn score worth its name is high for a
 * customer silent for 90 days, so with the warning first no one would ever be dormant and the dormant
 * reactivation flow (the seed's 90+ day phase) would never see a customer. In this order a customer who
 * drifts away goes mature -> churn_warning -> dormant -> churned.
 */
public enum LifecycleStage {
    NEW("new", "new_customer"),
    GROWTH("growth", "active_customer"),
    MATURE("mature", "active_customer"),
    CHURN_WARNING("churn_warning", "churn_warning"),
    DORMANT("dormant", "dormant_customer"),
    CHURNED("churned", "churned");

    public static final int NEW_DAYS = 7;
    public static final int GROWTH_DAYS = 30;
    public static final int DORMANT_DAYS = 90;
    public static final int CHURNED_DAYS = 180;
    public static final double WARNING_SCORE = 0.7;
    /** The tag_system dimension whose tags the stage owns: a customer carries exactly one of them. */
    public static final String DIMENSION = "Lifecycle Stage";

    private final String code;
    private final String tag;

    LifecycleStage(String code, String tag) {
        this.code = code;
        this.tag = tag;
    }

    /** What {@link Activity#stage()} and conditions ({@code customer.stage}) see. */
    public String code() {
        return code;
    }

    /** The Lifecycle Stage tag; growth and mature are both active_customer, as in the blueprint. */
    public String tag() {
        return tag;
    }

    /**
     * @param churnScore the customer's churn probability, 0 when never scored
     */
    public static LifecycleStage of(long daysSinceAdded, long daysSinceInteraction, long daysSincePurchase,
                                    double churnScore) {
        long silent = Math.min(daysSinceInteraction, daysSincePurchase);
        if (silent >= CHURNED_DAYS) {
            return CHURNED;
        }
        if (silent >= DORMANT_DAYS) {
            return DORMANT;
        }
        if (churnScore > WARNING_SCORE) {
            return CHURN_WARNING;
        }
        if (daysSinceAdded < NEW_DAYS) {
            return NEW;
        }
        return daysSinceAdded < GROWTH_DAYS ? GROWTH : MATURE;
    }

    /** The stage of the customer as the profile stands at now (its churn score included). */
    public static LifecycleStage of(CustomerProfile p, Instant now) {
        Activity a = p.activity();
        Instant added = p.createdAt() == null ? now : p.createdAt();
        return of(Facts.days(added, now),
                Facts.days(a.lastInteractionAt() == null ? added : a.lastInteractionAt(), now),
                Facts.days(a.lastPurchaseAt() == null ? added : a.lastPurchaseAt(), now),
                a.churnScore() == null ? 0.0 : a.churnScore());
    }
}
