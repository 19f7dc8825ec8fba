package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.LONG_AGO;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.at;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A Mini Program subscription message: WeChat delivers it on the member's own subscription, so it needs no WeCom
 * friendship and no mass-message budget; consent, the weekly journey cap and quiet hours hold as for any touch.
 */
class SubscriptionChannelTest {
    private static final Touch PROMOTION = Touch.subscriptionMessage(CUSTOMER, ContentClass.PROMOTIONAL)
            .asJourneyStep();
    /** A Mini Program member with consent and no WeCom contact at all. */
    private static final CustomerState MEMBER = CustomerState.of(CUSTOMER).withConsent(Consent.grantedAt(LONG_AGO));

    @Test
    void goesToAMemberWhoIsNobodysWeComContact() {
        assertThat(GATE.decide(MEMBER, PROMOTION, tuesdayMorning()).allowed()).isTrue();
        assertThat(GATE.decide(MEMBER, Touch.massMessage(CUSTOMER, "zhangsan", ContentClass.VALUE), tuesdayMorning())
                .rule()).as("a mass message needs the friendship").isEqualTo(Rule.RELATIONSHIP);
    }

    @Test
    void theMonthsMassMessagesAndWeComsLimitDoNotCountIt() {
        CustomerState spent = MEMBER.withCounters(new Counters(4, 0, 0, 4, 1))
                .withPlatformCapUntil(at("2024-04-01T09:00", SHANGHAI));

        assertThat(GATE.decide(spent, PROMOTION, tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void theWeeklyJourneyCapDoes() {
        Decision d = GATE.decide(MEMBER.withCounters(new Counters(0, 3, 0, 0, 0)), PROMOTION, tuesdayMorning());

        assertThat(d.rule()).isEqualTo(Rule.JOURNEY_MESSAGE_CAP);
    }

    @Test
    void aWithdrawalDropsItAndAPromotionNeedsConsent() {
        assertThat(GATE.decide(MEMBER.withConsent(new Consent(LONG_AGO, LONG_AGO.plusSeconds(60))), PROMOTION,
                tuesdayMorning()).rule()).isEqualTo(Rule.CONSENT);
        assertThat(GATE.decide(CustomerState.of(CUSTOMER), PROMOTION, tuesdayMorning()).rule())
                .isEqualTo(Rule.CONSENT);
        assertThat(GATE.decide(CustomerState.of(CUSTOMER), Touch.subscriptionMessage(CUSTOMER, ContentClass.VALUE),
                tuesdayMorning()).allowed()).as("value content to a member who never decided").isTrue();
    }

    @Test
    void quietHoursDeferIt() {
        Decision d = GATE.decide(MEMBER, PROMOTION, at("2024-03-05T23:00", SHANGHAI));

        assertThat(d.rule()).isEqualTo(Rule.QUIET_HOURS);
        assertThat(d.until()).isEqualTo(at("2024-03-06T09:00", SHANGHAI));
    }
}
