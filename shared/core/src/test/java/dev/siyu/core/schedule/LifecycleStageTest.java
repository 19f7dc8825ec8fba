package dev.siyu.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LifecycleStageTest {

    @Test
    void tenureDecidesForAnEngagedCustomer_boundariesAt7And30Days() {
        assertThat(LifecycleStage.of(0, 0, 0, 0)).isEqualTo(LifecycleStage.NEW);
        assertThat(LifecycleStage.of(6, 0, 0, 0)).isEqualTo(LifecycleStage.NEW);
        assertThat(LifecycleStage.of(7, 0, 0, 0)).isEqualTo(LifecycleStage.GROWTH);
        assertThat(LifecycleStage.of(29, 0, 0, 0)).isEqualTo(LifecycleStage.GROWTH);
        assertThat(LifecycleStage.of(30, 0, 0, 0)).isEqualTo(LifecycleStage.MATURE);
        assertThat(LifecycleStage.of(400, 1, 1, 0)).isEqualTo(LifecycleStage.MATURE);
    }

    @Test
    void dormantAt90DaysWithoutInteractionAndPurchase_churnedAt180() {
        assertThat(LifecycleStage.of(300, 89, 200, 0)).isEqualTo(LifecycleStage.MATURE);
        assertThat(LifecycleStage.of(300, 90, 90, 0)).isEqualTo(LifecycleStage.DORMANT);
        assertThat(LifecycleStage.of(300, 200, 89, 0)).as("a purchase 89 days ago keeps them out of dormancy")
                .isEqualTo(LifecycleStage.MATURE);
        assertThat(LifecycleStage.of(300, 179, 250, 0)).isEqualTo(LifecycleStage.DORMANT);
        assertThat(LifecycleStage.of(300, 180, 180, 0)).isEqualTo(LifecycleStage.CHURNED);
    }

    @Test
    void aScoreAbove0_7WarnsBeforeDormancy_andDormancyOutranksTheWarning() {
        assertThat(LifecycleStage.of(60, 50, 50, 0.70)).isEqualTo(LifecycleStage.MATURE);
        assertThat(LifecycleStage.of(60, 50, 50, 0.71)).isEqualTo(LifecycleStage.CHURN_WARNING);
        assertThat(LifecycleStage.of(3, 0, 0, 0.9)).as("even a new customer can be at risk")
                .isEqualTo(LifecycleStage.CHURN_WARNING);
        assertThat(LifecycleStage.of(200, 95, 95, 0.99)).isEqualTo(LifecycleStage.DORMANT);
        assertThat(LifecycleStage.of(200, 185, 185, 0.99)).isEqualTo(LifecycleStage.CHURNED);
    }

    @Test
    void eachStageShowsAsOneBlueprintLifecycleTag() {
        assertThat(LifecycleStage.NEW.tag()).isEqualTo("new_customer");
        assertThat(LifecycleStage.GROWTH.tag()).isEqualTo("active_customer");
        assertThat(LifecycleStage.MATURE.tag()).isEqualTo("active_customer");
        assertThat(LifecycleStage.CHURN_WARNING.tag()).isEqualTo("churn_warning");
        assertThat(LifecycleStage.DORMANT.tag()).isEqualTo("dormant_customer");
        assertThat(LifecycleStage.CHURNED.tag()).isEqualTo("churned");
    }
}
