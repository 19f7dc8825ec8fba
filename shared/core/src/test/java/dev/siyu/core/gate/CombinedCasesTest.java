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

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Several rules object at once: the documented order picks the one that decides. */
class CombinedCasesTest {
    private static final Instant ELEVEN_PM = at("2024-03-05T23:00", SHANGHAI);
    private static final Touch PROMO_MASS = Touch.massMessage(CUSTOMER, STAFF, ContentClass.PROMOTIONAL);

    @Test
    void promotionalMassMessageAtElevenToACustomerWhoWithdrewIsDroppedForConsentNotDeferred() {
        CustomerState withdrew = customer().withConsent(Consent.grantedAt(Fixtures.LONG_AGO)
                .withdrawn(Instant.parse("2024-03-01T00:00:00Z")));
        Decision d = GATE.decide(withdrew, PROMO_MASS, ELEVEN_PM);
        assertThat(d.kind()).isEqualTo(Decision.Kind.DROP);
        assertThat(d.rule()).isEqualTo(Rule.CONSENT);
        assertThat(d.until()).isNull();
    }

    @Test
    void capsDropBeforeQuietHoursDefer() {
        Decision d = GATE.decide(customer().withCounters(new Counters(4, 0, 0)), PROMO_MASS, ELEVEN_PM);
        assertThat(d.kind()).isEqualTo(Decision.Kind.DROP);
        assertThat(d.rule()).isEqualTo(Rule.MASS_MESSAGE_CAP);
    }

    @Test
    void mixDropsBeforeQuietHoursDefer() {
        Decision d = GATE.decide(customer().withMix(new ContentMix(7, 3)), PROMO_MASS, ELEVEN_PM);
        assertThat(d.rule()).isEqualTo(Rule.CONTENT_MIX);
    }

    @Test
    void everythingFineButTheHourDefers() {
        Decision d = GATE.decide(customer().withCounters(new Counters(2, 2, 0)).withMix(new ContentMix(7, 2)),
                PROMO_MASS.asJourneyStep(), ELEVEN_PM);
        assertThat(d.kind()).isEqualTo(Decision.Kind.DEFER);
        assertThat(d.rule()).isEqualTo(Rule.QUIET_HOURS);
        assertThat(d.until()).isEqualTo(Instant.parse("2024-03-06T01:00:00Z"));
    }

    @Test
    void afterSalesAtHalfPastElevenIsAllowedDespiteCapsOnOtherKinds() {
        CustomerState busy = customer().withCounters(new Counters(4, 3, 1)).withMix(new ContentMix(0, 10));
        assertThat(GATE.decide(busy, privateMessage(ContentClass.VALUE).exempt(Exemption.AFTER_SALES),
                at("2024-03-05T23:30", SHANGHAI)).allowed()).isTrue();
    }

    @Test
    void oneOnOneJourneyStepAtNightOverItsCapBecomesAStaffTask() {
        Decision d = GATE.decide(customer().withCounters(new Counters(0, 3, 0)),
                privateMessage(ContentClass.VALUE).asJourneyStep().asHumanStep(), ELEVEN_PM);
        assertThat(d.kind()).isEqualTo(Decision.Kind.CONVERT_TO_HUMAN);
    }

    @Test
    void leftGroupAndNoConsentNamesTheRelationship() {
        CustomerState state = customer().withLeftGroup("g-1").withConsent(Consent.NONE);
        assertThat(GATE.decide(state, Touch.groupInvite(CUSTOMER, STAFF, "g-1"), tuesdayMorning()).rule())
                .isEqualTo(Rule.RELATIONSHIP);
    }

    @Test
    void stateAndTouchMustBeAboutTheSameCustomer() {
        assertThatThrownBy(() -> GATE.decide(CustomerState.of("c-2"), privateMessage(ContentClass.VALUE),
                tuesdayMorning()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("state is for customer c-2, the touch for c-1");
    }
}
