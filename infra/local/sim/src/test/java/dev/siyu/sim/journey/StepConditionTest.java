package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Step conditions, written in the example config's YAML and compiled by the real CEL compiler. */
class StepConditionTest {
    static final String JOURNEY = "condition_probe";
    /** The example with this journey only, and room for 10 journey messages a week so the cap stays out of the way. */
    static final ScrmConfig CONFIG = ExampleConfig.load(ExampleConfig.replacing(ExampleConfig.withJourneys("""
            lifecycle_automation:
              condition_probe:
                trigger: {event: contact_added}
                steps:
                  - delay: 0min
                    label: "Welcome"
                    action: {type: message, content: value, text: "Welcome!"}
                  - delay: 10min
                    condition: 'customer.total_spend > 1000.0'
                    label: "VIP note"
                    action: {type: message, content: value, text: "A note for our VIPs"}
                  - delay: 20min
                    condition: '"skincare" in customer.tags && run.step == 2'
                    label: "Skincare guide"
                    action: {type: message, content: value, text: "Your skincare guide"}
                  - delay: 30min
                    label: "Flash offer"
                    action: {type: message, content: promotional, text: "Flash offer, today only"}
                  - delay: 40min
                    label: "Advisor check-in"
                    action: {type: staff_task, task: care_message, content: value, draft: "How are you getting on?"}
            """), "journey_messages_per_week: 3", "journey_messages_per_week: 10"), "condition-probe.yaml");

    JourneyHarness h = new JourneyHarness(CONFIG, Instant.parse("2024-03-05T02:00:00Z"));

    private String text(TimelineEvent sent) {
        return sent.details().get("label");
    }

    @Test
    void aStepWhoseConditionIsFalseIsSkippedAndTheNextOneStillRuns() {
        // GIVEN a customer with no spend, tagged skincare
        h.added("c1");
        h.update("c1", p -> p.withTags(java.util.Set.of("skincare"), java.util.Set.of(), h.now()));

        // WHEN the journey runs
        h.runUntil(h.local(2024, 3, 5, 12, 0));

        // THEN the VIP note was skipped with its condition as the reason, and the steps after it ran
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind, this::text,
                e -> h.localOf(e.at()).toString()).containsExactly(
                tuple("journey_started", null, "2024-03-05T10:00"),
                tuple("desk_task_created", "Welcome", "2024-03-05T10:00"),
                tuple("step_skipped", "VIP note", "2024-03-05T10:10"),
                tuple("desk_task_created", "Skincare guide", "2024-03-05T10:20"),
                tuple("desk_task_created", "Flash offer", "2024-03-05T10:30"),
                tuple("staff_task_created", "Advisor check-in", "2024-03-05T10:40"),
                tuple("journey_completed", null, "2024-03-05T10:40"));
        assertThat(h.events("c1", "step_skipped").get(0).details())
                .containsEntry("reason", "condition does not hold: customer.total_spend > 1000.0")
                .containsEntry("step", "1");
        assertThat(h.touchesFor("c1")).extracting(JourneyHarness.Touched::text).containsExactly(
                "Welcome!", "Your skincare guide", "Flash offer, today only", "How are you getting on?");
    }

    @Test
    void aCustomerForWhomTheConditionsHoldGetsEveryStep() {
        // GIVEN a big spender tagged skincare
        h.added("c2");
        h.update("c2", p -> p.withTags(java.util.Set.of("skincare"), java.util.Set.of(), h.now())
                .withActivity(p.activity().purchased(1500.0, "skincare", h.now()), h.now()));

        h.runUntil(h.local(2024, 3, 5, 12, 0));

        assertThat(h.events("c2", "step_skipped")).isEmpty();
        assertThat(h.touchesFor("c2")).hasSize(5);
        assertThat(h.onlyRun("c2", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }

    @Test
    void aLowPriorityCustomerIsSkippedForPromotionsButStillGetsValueAndHumanSteps() {
        // GIVEN a customer whose outreach priority was lowered (the dormant flow's last step)
        h.added("c3");
        h.update("c3", p -> p.withActivity(p.activity().withLowPriority(true), h.now()));

        h.runUntil(h.local(2024, 3, 5, 12, 0));

        assertThat(h.events("c3", "step_skipped")).extracting(this::text, e -> e.details().get("reason"))
                .containsExactly(
                        tuple("VIP note", "condition does not hold: customer.total_spend > 1000.0"),
                        tuple("Skincare guide",
                                "condition does not hold: \"skincare\" in customer.tags && run.step == 2"),
                        tuple("Flash offer", "the customer's outreach priority is low"));
        assertThat(h.touchesFor("c3")).extracting(JourneyHarness.Touched::text)
                .containsExactly("Welcome!", "How are you getting on?");
    }
}
