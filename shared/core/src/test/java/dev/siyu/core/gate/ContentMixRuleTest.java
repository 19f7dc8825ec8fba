package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** At most 30% promotional among the latest 10 touches of a customer, and of a group. */
class ContentMixRuleTest {

    @Test
    void thirdPromotionOfTenGoesOut() {
        assertThat(GATE.decide(customer().withMix(new ContentMix(7, 2)), privateMessage(ContentClass.PROMOTIONAL),
                tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void fourthPromotionOfTenIsDropped() {
        Decision d = GATE.decide(customer().withMix(new ContentMix(7, 3)), privateMessage(ContentClass.PROMOTIONAL),
                tuesdayMorning());
        assertThat(d).isEqualTo(Decision.drop(Rule.CONTENT_MIX, "this would make 4 of the latest 10 touches to the"
                + " customer promotional (at most 3, 30%); send value content first"));
    }

    @Test
    void aCouponIsPromotional() {
        assertThat(GATE.decide(customer().withMix(new ContentMix(7, 3)), Touch.coupon(CUSTOMER, STAFF),
                tuesdayMorning()).rule()).isEqualTo(Rule.CONTENT_MIX);
    }

    @Test
    void valueContentIsNeverHeldBackByTheMix() {
        assertThat(GATE.decide(customer().withMix(new ContentMix(0, 10)), privateMessage(ContentClass.VALUE),
                tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void aNewCustomerCanGetAFirstPromotion() {
        assertThat(GATE.decide(customer(), privateMessage(ContentClass.PROMOTIONAL), tuesdayMorning()).allowed())
                .isTrue();
    }

    @Test
    void groupMessagesAreMeasuredAgainstTheGroup() {
        CustomerState state = customer().withGroupMix("g-1", new ContentMix(5, 3));
        Decision d = GATE.decide(state, Touch.groupMessage(CUSTOMER, "g-1", ContentClass.PROMOTIONAL), tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.CONTENT_MIX);
        assertThat(d.reason()).contains("4 of the latest 10 touches in group g-1 promotional");
        assertThat(GATE.decide(state, Touch.groupMessage(CUSTOMER, "g-2", ContentClass.PROMOTIONAL), tuesdayMorning())
                .allowed()).isTrue();
        assertThat(GATE.decide(state, privateMessage(ContentClass.PROMOTIONAL), tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void stricterShare() {
        OutreachGate strict = new OutreachGate(new Guardrails(BusinessHours.DEFAULT, 4, 1, 3, 0.2, 10, false), SHANGHAI);
        assertThat(strict.decide(customer().withMix(new ContentMix(8, 2)), privateMessage(ContentClass.PROMOTIONAL),
                tuesdayMorning()).rule()).isEqualTo(Rule.CONTENT_MIX);
    }

    @Test
    void capsComeBeforeTheMix() {
        CustomerState state = customer().withMix(new ContentMix(7, 3)).withCounters(new Counters(4, 0, 0));
        assertThat(GATE.decide(state, Touch.massMessage(CUSTOMER, STAFF, ContentClass.PROMOTIONAL), tuesdayMorning())
                .rule()).isEqualTo(Rule.MASS_MESSAGE_CAP);
    }
}
