package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.at;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Key 1-on-1 steps are never silent automated private messages: they become staff tasks or drafts. */
class HumanTouchpointRuleTest {

    @Test
    void oneOnOneJourneyStepBecomesAStaffTask() {
        Decision d = GATE.decide(customer(), privateMessage(ContentClass.VALUE).asJourneyStep().asHumanStep(),
                tuesdayMorning());
        assertThat(d).isEqualTo(Decision.convertToHuman("a key 1-on-1 step must not be an automated script: make it"
                + " a task or an add_msg_template draft for zhangsan to confirm and send"));
        assertThat(d.rule()).isEqualTo(Rule.HUMAN_TOUCHPOINT);
        assertThat(d.until()).isNull();
    }

    @Test
    void convertedAtNightToo_theTaskWaitsForTheStaffMemberNotForTheGate() {
        Decision d = GATE.decide(customer(), privateMessage(ContentClass.VALUE).asHumanStep(),
                at("2024-03-05T23:00", SHANGHAI));
        assertThat(d.kind()).isEqualTo(Decision.Kind.CONVERT_TO_HUMAN);
    }

    @Test
    void convertedBeforeCaps_theStaffMembersSendIsGatedWhenItHappens() {
        CustomerState capped = customer().withCounters(new Counters(0, 3, 0));
        Decision d = GATE.decide(capped, privateMessage(ContentClass.VALUE).asJourneyStep().asHumanStep(),
                tuesdayMorning());
        assertThat(d.kind()).isEqualTo(Decision.Kind.CONVERT_TO_HUMAN);
    }

    @Test
    void redLinesStillComeFirst() {
        Decision d = GATE.decide(customer().withConsent(Consent.NONE),
                privateMessage(ContentClass.PROMOTIONAL).asHumanStep(), tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.CONSENT);
    }

    @Test
    void theStaffTaskItselfIsAllowedAtAnyHour() {
        Decision d = GATE.decide(customer(), Touch.staffTask(CUSTOMER, STAFF, ContentClass.VALUE).asHumanStep(),
                at("2024-03-05T23:00", SHANGHAI));
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).startsWith("a staff task reaches the staff member");
    }

    @Test
    void aHumanStepNeedsAStaffMember() {
        assertThatThrownBy(() -> Touch.groupMessage(CUSTOMER, "g-1", ContentClass.VALUE).asHumanStep())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs the staff member");
    }
}
