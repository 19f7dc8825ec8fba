package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Sensitive industries: content flagged for review does not go out until approved. */
class SensitiveReviewRuleTest {
    private final OutreachGate gate = new OutreachGate(Guardrails.DEFAULTS, SHANGHAI);
    private final OutreachGate finance = new OutreachGate(Guardrails.DEFAULTS.withSensitiveIndustry(true), SHANGHAI);

    @Test
    void flaggedContentWaitingForReviewIsDropped() {
        Decision d = gate.decide(customer(), privateMessage(ContentClass.VALUE).asSensitive(false), tuesdayMorning());
        assertThat(d).isEqualTo(Decision.drop(Rule.SENSITIVE_REVIEW, "the content is flagged for compliance review"
                + " and is not approved; ask again once it is approved"));
    }

    @Test
    void approvedFlaggedContentPasses() {
        assertThat(gate.decide(customer(), privateMessage(ContentClass.VALUE).asSensitive(true), tuesdayMorning())
                .allowed()).isTrue();
    }

    @Test
    void inASensitiveIndustryEveryCustomerFacingTouchNeedsApproval() {
        Decision d = finance.decide(customer(), privateMessage(ContentClass.VALUE), tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.SENSITIVE_REVIEW);
        assertThat(d.reason()).startsWith("the tenant is in a sensitive industry");
        assertThat(finance.decide(customer(), privateMessage(ContentClass.VALUE).asApproved(), tuesdayMorning())
                .allowed()).isTrue();
    }

    @Test
    void inASensitiveIndustryAStaffTaskIsNotCustomerContent() {
        assertThat(finance.decide(customer(), Touch.staffTask(CUSTOMER, STAFF, ContentClass.VALUE), tuesdayMorning())
                .allowed()).isTrue();
    }

    @Test
    void reviewComesBeforeTheHumanTouchpoint() {
        Decision d = gate.decide(customer(), privateMessage(ContentClass.VALUE).asSensitive(false).asHumanStep(),
                tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.SENSITIVE_REVIEW);
    }

    @Test
    void consentComesBeforeReview() {
        Decision d = gate.decide(customer().withConsent(Consent.NONE),
                privateMessage(ContentClass.PROMOTIONAL).asSensitive(false), tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.CONSENT);
    }
}
