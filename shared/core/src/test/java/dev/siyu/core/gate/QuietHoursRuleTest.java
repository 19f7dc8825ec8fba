package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.BERLIN;
import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.at;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** No proactive touch outside 09:00-21:00 in the customer's zone; after-sales and replies are exempt. */
class QuietHoursRuleTest {
    private static final Touch MESSAGE = privateMessage(ContentClass.VALUE);

    @Test
    void lateEveningIsDeferredToTomorrowsOpening() {
        Decision d = GATE.decide(customer(), MESSAGE, at("2024-03-05T23:00", SHANGHAI));
        assertThat(d).isEqualTo(Decision.defer(Instant.parse("2024-03-06T01:00:00Z"), Rule.QUIET_HOURS,
                "2024-03-05T23:00 Asia/Shanghai is outside business hours 09:00-21:00; deferred to the next opening,"
                        + " 2024-03-06T09:00 Asia/Shanghai"));
    }

    @Test
    void earlyMorningIsDeferredToTodaysOpening() {
        assertThat(GATE.decide(customer(), MESSAGE, at("2024-03-05T07:30", SHANGHAI)).until())
                .isEqualTo(Instant.parse("2024-03-05T01:00:00Z"));
    }

    @Test
    void theWindowIncludesItsStartAndExcludesItsEnd() {
        assertThat(GATE.decide(customer(), MESSAGE, at("2024-03-05T09:00", SHANGHAI)).allowed()).isTrue();
        assertThat(GATE.decide(customer(), MESSAGE, at("2024-03-05T20:59", SHANGHAI)).allowed()).isTrue();
        assertThat(GATE.decide(customer(), MESSAGE, at("2024-03-05T21:00", SHANGHAI)).until())
                .isEqualTo(at("2024-03-06T09:00", SHANGHAI));
    }

    @Test
    void theCustomersZoneDecides() {
        // 22:00 in Shanghai, 15:00 in Berlin
        Instant now = Instant.parse("2024-03-05T14:00:00Z");
        assertThat(GATE.decide(customer(), MESSAGE, now).until()).isEqualTo(Instant.parse("2024-03-06T01:00:00Z"));
        assertThat(GATE.decide(customer().withZone(BERLIN), MESSAGE, now).allowed()).isTrue();
    }

    @Test
    void springForwardNightOpensAtLocalNineNotElevenHoursLater() {
        // Saturday 22:00 CET (+01:00); Sunday 31 March clocks go to CEST (+02:00), so 09:00 is 07:00Z
        Decision d = GATE.decide(customer().withZone(BERLIN), MESSAGE, at("2024-03-30T22:00", BERLIN));
        assertThat(d.rule()).isEqualTo(Rule.QUIET_HOURS);
        assertThat(d.until()).isEqualTo(Instant.parse("2024-03-31T07:00:00Z"));
    }

    @Test
    void fallBackNightOpensAtLocalNine() {
        // Saturday 23:00 CEST (+02:00); Sunday 27 October back to CET (+01:00), so 09:00 is 08:00Z
        Decision d = GATE.decide(customer().withZone(BERLIN), MESSAGE, at("2024-10-26T23:00", BERLIN));
        assertThat(d.until()).isEqualTo(Instant.parse("2024-10-27T08:00:00Z"));
    }

    @Test
    void afterSalesAtHalfPastElevenGoesOut() {
        Decision d = GATE.decide(customer(), MESSAGE.exempt(Exemption.AFTER_SALES), at("2024-03-05T23:30", SHANGHAI));
        assertThat(d).isEqualTo(Decision.allow("2024-03-05T23:30 Asia/Shanghai is outside business hours 09:00-21:00,"
                + " but AFTER_SALES is exempt"));
    }

    @Test
    void replyToTheCustomerAtTwoInTheMorningGoesOut() {
        assertThat(GATE.decide(customer(), MESSAGE.exempt(Exemption.REPLY_TO_CUSTOMER), at("2024-03-05T02:00", SHANGHAI))
                .allowed()).isTrue();
    }

    @Test
    void groupMessagesFollowTheTenantsHours() {
        // the customer is in Berlin at 15:00, but the group's audience is the tenant's, where it is 22:00
        Decision d = GATE.decide(customer().withZone(BERLIN), Touch.groupMessage(CUSTOMER, "g-1", ContentClass.VALUE),
                Instant.parse("2024-03-05T14:00:00Z"));
        assertThat(d.until()).isEqualTo(Instant.parse("2024-03-06T01:00:00Z"));
    }

    @Test
    void windowOverMidnight() {
        OutreachGate night = new OutreachGate(Guardrails.DEFAULTS.withBusinessHours(
                new BusinessHours(LocalTime.of(20, 0), LocalTime.of(2, 0))), SHANGHAI);
        assertThat(night.decide(customer(), MESSAGE, at("2024-03-05T01:00", SHANGHAI)).allowed()).isTrue();
        assertThat(night.decide(customer(), MESSAGE, at("2024-03-05T20:00", SHANGHAI)).allowed()).isTrue();
        assertThat(night.decide(customer(), MESSAGE, at("2024-03-05T03:00", SHANGHAI)).until())
                .isEqualTo(at("2024-03-05T20:00", SHANGHAI));
    }
}
