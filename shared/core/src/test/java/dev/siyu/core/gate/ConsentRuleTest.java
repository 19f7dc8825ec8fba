package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** PIPL: no promotion, mass message or group invite without marketing consent; withdrawal counts at once. */
class ConsentRuleTest {
    private static final Instant GRANTED = Instant.parse("2024-01-10T02:00:00Z");
    private static final Instant WITHDRAWN = Instant.parse("2024-03-05T01:59:00Z");

    @Test
    void promotionWithoutConsentIsDropped() {
        Decision d = GATE.decide(customer().withConsent(Consent.NONE), privateMessage(ContentClass.PROMOTIONAL),
                tuesdayMorning());
        assertThat(d).isEqualTo(Decision.drop(Rule.CONSENT,
                "the customer never granted marketing consent; promotional content needs marketing consent (PIPL)"));
    }

    @Test
    void withdrawalAMinuteAgoIsHonoured() {
        CustomerState state = customer().withConsent(Consent.grantedAt(GRANTED).withdrawn(WITHDRAWN));
        Decision d = GATE.decide(state, Touch.coupon(CUSTOMER, STAFF), tuesdayMorning());
        assertThat(d).isEqualTo(Decision.drop(Rule.CONSENT, "the customer withdrew consent at"
                + " 2024-03-05T01:59:00Z; a withdrawal is honoured at once and stops every proactive touch"));
    }

    @Test
    void afterAWithdrawalEvenValueContentStops() {
        CustomerState state = customer().withConsent(Consent.grantedAt(GRANTED).withdrawn(WITHDRAWN));
        assertThat(GATE.decide(state, privateMessage(ContentClass.VALUE), tuesdayMorning()).rule())
                .isEqualTo(Rule.CONSENT);
    }

    @Test
    void aCustomerWhoNeverDecidedStillGetsValueContent() {
        assertThat(GATE.decide(customer(), privateMessage(ContentClass.VALUE), tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void grantAfterAWithdrawalCountsAgain() {
        Consent regranted = new Consent(WITHDRAWN.plusSeconds(30), WITHDRAWN);
        assertThat(regranted.granted()).isTrue();
        assertThat(GATE.decide(customer().withConsent(regranted), privateMessage(ContentClass.PROMOTIONAL),
                tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void withdrawalAtTheSameInstantAsTheGrantWins() {
        assertThat(new Consent(GRANTED, GRANTED).granted()).isFalse();
        assertThat(new Consent(null, GRANTED).withdrawn()).isTrue();
        assertThat(Consent.NONE.withdrawn()).isFalse();
    }

    @Test
    void massMessagesAndGroupInvitesNeedConsentEvenWithValueContent() {
        CustomerState state = customer().withConsent(Consent.NONE);
        Decision mass = GATE.decide(state, Touch.massMessage(CUSTOMER, STAFF, ContentClass.VALUE), tuesdayMorning());
        Decision invite = GATE.decide(state, Touch.groupInvite(CUSTOMER, STAFF, "g-1"), tuesdayMorning());
        assertThat(mass.rule()).isEqualTo(Rule.CONSENT);
        assertThat(mass.reason()).contains("a mass message needs marketing consent");
        assertThat(invite.rule()).isEqualTo(Rule.CONSENT);
        assertThat(invite.reason()).contains("a group invite needs marketing consent");
    }

    @Test
    void marketingPurposeNeedsConsentEvenWithValueContent() {
        Decision d = GATE.decide(customer().withConsent(Consent.NONE), privateMessage(ContentClass.VALUE).asMarketing(),
                tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.CONSENT);
        assertThat(d.reason()).contains("a marketing touch needs marketing consent");
    }

    @Test
    void valueMessageNeedsNoMarketingConsent() {
        assertThat(GATE.decide(customer().withConsent(Consent.NONE), privateMessage(ContentClass.VALUE),
                tuesdayMorning()).allowed()).isTrue();
    }
}
