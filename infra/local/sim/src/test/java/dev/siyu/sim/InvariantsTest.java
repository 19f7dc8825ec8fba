package dev.siyu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.gate.Guardrails;
import org.junit.jupiter.api.Test;

/** A run that broke a guardrail says which, so ./siyu demo can fail on it instead of exiting 0. */
class InvariantsTest {
    @Test
    void aRunThatKeptEveryGuardrailHasNothingToSay() {
        Invariants kept = Invariants.clean(500, 6000, Guardrails.DEFAULTS.massMessagesPerMonth(),
                Guardrails.DEFAULTS.momentsPostsPerDay());
        assertThat(kept.violations(Guardrails.DEFAULTS)).isEmpty();
    }

    @Test
    void aFifthMassMessageInAMonthAndATouchAfterADeleteAreNamed() {
        Invariants broken = new Invariants(2, 0, 0, Guardrails.DEFAULTS.massMessagesPerMonth() + 1, 1, 500, 6000, 0, 0, 0, 0, 0);
        assertThat(broken.violations(Guardrails.DEFAULTS)).containsExactly(
                "2 touch(es) after the customer deleted the staff member",
                "a customer got " + (Guardrails.DEFAULTS.massMessagesPerMonth() + 1) + " mass messages in a month (cap "
                        + Guardrails.DEFAULTS.massMessagesPerMonth() + ")");
    }
}
