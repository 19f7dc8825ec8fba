package dev.siyu.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChurnHeuristicTest {
    private final ChurnHeuristic heuristic = ChurnHeuristic.DEFAULT;

    @Test
    void theScoreNeverFallsAsSilenceGrowsAndNeverRisesWithMoreOrders() {
        for (int interaction = 0; interaction <= 400; interaction += 3) {
            for (int purchase = 0; purchase <= 400; purchase += 7) {
                for (int orders = 0; orders <= 12; orders++) {
                    double s = heuristic.score(interaction, purchase, orders);
                    assertThat(s).isBetween(0.0, 1.0);
                    assertThat(heuristic.score(interaction + 1, purchase, orders)).isGreaterThanOrEqualTo(s);
                    assertThat(heuristic.score(interaction, purchase + 1, orders)).isGreaterThanOrEqualTo(s);
                    assertThat(heuristic.score(interaction, purchase, orders + 1)).isLessThanOrEqualTo(s);
                }
            }
        }
    }

    @Test
    void aCustomerWhoNeverBoughtOrRepliedCrossesTheWarningAfter49Days() {
        // z = -4 + d/15 + d/30 = -4 + d/10
        assertThat(heuristic.score(0, 0, 0)).isEqualTo(0.02);
        assertThat(heuristic.score(30, 30, 0)).isEqualTo(0.27);
        assertThat(heuristic.score(48, 48, 0)).isLessThanOrEqualTo(LifecycleStage.WARNING_SCORE);
        assertThat(heuristic.score(49, 49, 0)).isGreaterThan(LifecycleStage.WARNING_SCORE);
        assertThat(heuristic.score(90, 90, 0)).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void threeOrdersBuyAboutAWeekMoreBeforeTheWarning() {
        assertThat(heuristic.score(55, 55, 3)).isLessThanOrEqualTo(LifecycleStage.WARNING_SCORE);
        assertThat(heuristic.score(56, 56, 3)).isGreaterThan(LifecycleStage.WARNING_SCORE);
    }

    @Test
    void aProfileIsScoredFromItsLastInteractionAndPurchaseOrFromTheAddWhenThereWereNone() {
        Instant now = Instant.parse("2026-03-02T00:00:00Z");
        CustomerProfile silent = Blueprint.customer("c1", "amy", now.minus(Duration.ofDays(49)));
        assertThat(heuristic.score(silent, now)).isEqualTo(heuristic.score(49, 49, 0));

        Activity a = Activity.NONE.purchased(300, "skincare", now.minus(Duration.ofDays(20)))
                .interacted(now.minus(Duration.ofDays(2)), true);
        CustomerProfile engaged = Blueprint.withActivity(silent, a);
        assertThat(heuristic.score(engaged, now)).isEqualTo(heuristic.score(2, 20, 1)).isLessThan(0.1);
    }

    @Test
    void parametersThatWouldBreakMonotonicityAreRefused() {
        assertThatThrownBy(() -> new ChurnHeuristic(-4, -15, 30, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChurnHeuristic(-4, 15, 0, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChurnHeuristic(-4, 15, 30, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
