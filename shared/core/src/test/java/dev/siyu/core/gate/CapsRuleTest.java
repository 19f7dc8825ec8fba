package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.BERLIN;
import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.at;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Frequency caps: 4 mass messages a month, 1 Moments post a day, 3 journey messages a week, WeCom's 41048. */
class CapsRuleTest {
    private static final Touch MASS = Touch.massMessage(CUSTOMER, STAFF, ContentClass.VALUE);
    private static final Touch MOMENTS = Touch.momentsPost(CUSTOMER, STAFF, ContentClass.VALUE);
    private static final Touch JOURNEY = privateMessage(ContentClass.VALUE).asJourneyStep();

    @Nested
    class MassMessages {
        @Test
        void thirdOfTheMonthGoesOut_theFourthOnlyForATransactionalNotice() {
            assertThat(GATE.decide(customer().withCounters(new Counters(2, 0, 0)), MASS, tuesdayMorning()).allowed())
                    .isTrue();
            assertThat(GATE.decide(customer().withCounters(new Counters(3, 0, 0)), MASS, tuesdayMorning()).rule())
                    .isEqualTo(Rule.MASS_MESSAGE_CAP);
            assertThat(GATE.decide(customer().withCounters(new Counters(3, 0, 0)), MASS.exempt(Exemption.AFTER_SALES),
                    tuesdayMorning()).allowed()).isTrue();
        }

        @Test
        void fifthOfTheMonthIsDroppedNotDeferred() {
            Decision d = GATE.decide(customer().withCounters(new Counters(4, 0, 0)), MASS.exempt(Exemption.AFTER_SALES),
                    tuesdayMorning());
            assertThat(d).isEqualTo(Decision.drop(Rule.MASS_MESSAGE_CAP, "the customer already received 4 of 4"
                    + " customer mass messages (add_msg_template) in 2024-03; this transactional message is dropped"
                    + " rather than held to next month, where it would arrive stale and use next month's allowance"));
        }

        @Test
        void theMonthIsTheTenantsMonth() {
            // 16:30 UTC on 31 March is already 1 April in Shanghai: March's count no longer applies, and the
            // caller reads April's counter, which the key names.
            Instant aprilInShanghai = Instant.parse("2024-03-31T16:30:00Z");
            assertThat(CapPeriod.MONTH.key(aprilInShanghai, SHANGHAI)).isEqualTo("2024-04");
            Decision d = GATE.decide(customer().withCounters(new Counters(4, 0, 0)), MASS, aprilInShanghai);
            assertThat(d.reason()).contains("in 2024-04");
            assertThat(CapPeriod.MONTH.nextStart(Instant.parse("2024-03-31T15:59:59Z"), SHANGHAI))
                    .isEqualTo(Instant.parse("2024-03-31T16:00:00Z"));
        }

        @Test
        void weComsOwnLimitDefersToTheTimeItGave() {
            Instant until = at("2024-03-05T11:00", SHANGHAI);
            Decision d = GATE.decide(customer().withPlatformCapUntil(until), MASS, tuesdayMorning());
            assertThat(d.kind()).isEqualTo(Decision.Kind.DEFER);
            assertThat(d.rule()).isEqualTo(Rule.PLATFORM_CAP);
            assertThat(d.until()).isEqualTo(Instant.parse("2024-03-05T03:00:00Z"));
            assertThat(d.reason()).contains("errcode 41048");
        }

        @Test
        void weComsLimitEndingAtNightDefersToTheMorning() {
            Decision d = GATE.decide(customer().withPlatformCapUntil(at("2024-03-05T22:30", SHANGHAI)), MASS,
                    tuesdayMorning());
            assertThat(d.rule()).isEqualTo(Rule.PLATFORM_CAP);
            assertThat(d.until()).isEqualTo(at("2024-03-06T09:00", SHANGHAI));
        }

        @Test
        void weComsLimitInThePastIsOver() {
            assertThat(GATE.decide(customer().withPlatformCapUntil(at("2024-03-05T09:59", SHANGHAI)), MASS,
                    tuesdayMorning()).allowed()).isTrue();
        }

        @Test
        void ourCapDropsBeforeWeComsDefers() {
            CustomerState both = customer().withCounters(new Counters(4, 0, 0))
                    .withPlatformCapUntil(at("2024-03-05T11:00", SHANGHAI));
            assertThat(GATE.decide(both, MASS, tuesdayMorning()).rule()).isEqualTo(Rule.MASS_MESSAGE_CAP);
        }
    }

    @Nested
    class Moments {
        @Test
        void secondPostOfTheDayWaitsForTomorrowsOpening() {
            Decision d = GATE.decide(customer().withCounters(new Counters(0, 0, 1)), MOMENTS,
                    at("2024-03-05T15:00", SHANGHAI));
            assertThat(d.kind()).isEqualTo(Decision.Kind.DEFER);
            assertThat(d.rule()).isEqualTo(Rule.MOMENTS_CAP);
            // tomorrow starts at 00:00, but the post waits for 09:00
            assertThat(d.until()).isEqualTo(Instant.parse("2024-03-06T01:00:00Z"));
            assertThat(d.reason()).isEqualTo("1 of 1 Moments posts on 2024-03-05; deferred to tomorrow"
                    + " (2024-03-06T09:00 Asia/Shanghai)");
        }

        @Test
        void firstPostOfTheDayGoesOut() {
            assertThat(GATE.decide(customer(), MOMENTS, tuesdayMorning()).allowed()).isTrue();
        }
    }

    @Nested
    class JourneyMessages {
        @Test
        void fourthOfTheWeekWaitsForMondaysOpening() {
            Decision d = GATE.decide(customer().withCounters(new Counters(0, 3, 0)), JOURNEY, tuesdayMorning());
            assertThat(d.kind()).isEqualTo(Decision.Kind.DEFER);
            assertThat(d.rule()).isEqualTo(Rule.JOURNEY_MESSAGE_CAP);
            assertThat(d.until()).isEqualTo(at("2024-03-11T09:00", SHANGHAI));
            assertThat(d.reason()).startsWith("3 of 3 journey messages in 2024-W10;");
        }

        @Test
        void lateOnSundayTheNextWeekIsMinutesAway() {
            Decision d = GATE.decide(customer().withCounters(new Counters(0, 3, 0)), JOURNEY,
                    at("2024-03-10T20:30", SHANGHAI));
            assertThat(d.until()).isEqualTo(at("2024-03-11T09:00", SHANGHAI));
        }

        @Test
        void theWeekIsTheTenantsWeek_theOpeningIsTheCustomers() {
            // Monday 00:00 in Shanghai is Sunday 17:00 in Berlin, inside the Berlin customer's business hours.
            Decision d = GATE.decide(customer().withZone(BERLIN).withCounters(new Counters(0, 3, 0)), JOURNEY,
                    tuesdayMorning());
            assertThat(d.until()).isEqualTo(Instant.parse("2024-03-10T16:00:00Z"));
        }

        @Test
        void exemptJourneyStepIsDeferredToThePeriodStartItself() {
            Decision d = GATE.decide(customer().withCounters(new Counters(0, 3, 0)),
                    JOURNEY.exempt(Exemption.AFTER_SALES), tuesdayMorning());
            assertThat(d.until()).isEqualTo(at("2024-03-11T00:00", SHANGHAI));
        }

        @Test
        void messagesOutsideJourneysDoNotCount() {
            assertThat(GATE.decide(customer().withCounters(new Counters(4, 3, 1)), privateMessage(ContentClass.VALUE),
                    tuesdayMorning()).allowed()).isTrue();
        }

        @Test
        void stricterTenantCap() {
            OutreachGate strict = new OutreachGate(new Guardrails(BusinessHours.DEFAULT, 2, 1, 1, 0.3, 10, false),
                    SHANGHAI);
            assertThat(strict.decide(customer().withCounters(new Counters(0, 1, 0)), JOURNEY, tuesdayMorning()).rule())
                    .isEqualTo(Rule.JOURNEY_MESSAGE_CAP);
            assertThat(strict.decide(customer().withCounters(new Counters(2, 0, 0)), MASS, tuesdayMorning()).rule())
                    .isEqualTo(Rule.MASS_MESSAGE_CAP);
        }
    }
}
