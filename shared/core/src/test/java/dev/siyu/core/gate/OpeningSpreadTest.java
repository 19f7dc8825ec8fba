package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.LONG_AGO;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.StaffRelationship;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A night's deferrals come due over the first 90 minutes of the next opening, not all at 09:00:00 (issue 10,
 * item 15): a thousand customers deferred at 23:00 put at most a few touches in any one minute bucket.
 */
class OpeningSpreadTest {
    private static final OutreachGate GATE = new OutreachGate(Guardrails.DEFAULTS, SHANGHAI, OutreachGate.OPENING_SPREAD);
    private static final Instant NIGHT = at("2024-03-05T23:00", SHANGHAI);
    private static final Instant OPENING = at("2024-03-06T09:00", SHANGHAI);

    private static CustomerState customer(String id) {
        return CustomerState.of(id).withConsent(Consent.grantedAt(LONG_AGO))
                .withRelationship(StaffRelationship.started(STAFF, "parcel_card_east", LONG_AGO, false));
    }

    private static Decision deferAtNight(OutreachGate gate, String customer) {
        return gate.decide(customer(customer), Touch.privateMessage(customer, STAFF, ContentClass.VALUE), NIGHT);
    }

    @Test
    void aNightOfDeferralsIsSpreadOverTheFirstNinetyMinutesOfTheOpening() {
        Map<Instant, Integer> perMinute = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            Decision d = deferAtNight(GATE, "c-" + i);
            assertThat(d.rule()).isEqualTo(Rule.QUIET_HOURS);
            assertThat(d.until()).isBetween(OPENING, OPENING.plus(Duration.ofMinutes(90)).minusSeconds(1));
            perMinute.merge(d.until().truncatedTo(ChronoUnit.MINUTES), 1, Integer::sum);
        }
        System.out.printf("opening spread: 1,000 deferrals at 23:00 fall due in %d minute buckets, at most %d in one%n",
                perMinute.size(), perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        // 1,000 over 90 buckets is about 11 each; the exact opening would put all 1,000 in one
        assertThat(perMinute.size()).isGreaterThanOrEqualTo(85);
        assertThat(perMinute.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(30));
    }

    @Test
    void theSameCustomerAndTouchAlwaysGetTheSameTime() {
        assertThat(deferAtNight(GATE, "c-7").until()).isEqualTo(deferAtNight(GATE, "c-7").until());
        assertThat(deferAtNight(GATE, "c-7").until()).isNotEqualTo(deferAtNight(GATE, "c-8").until());
    }

    @Test
    void aShortWindowKeepsEveryDeferralInsideIt() {
        BusinessHours half = new BusinessHours(LocalTime.of(9, 0), LocalTime.of(9, 30));
        OutreachGate gate = new OutreachGate(Guardrails.DEFAULTS.withBusinessHours(half), SHANGHAI,
                OutreachGate.OPENING_SPREAD);
        for (int i = 0; i < 300; i++) {
            Instant until = deferAtNight(gate, "c-" + i).until();
            assertThat(half.isOpen(until, SHANGHAI)).as("c-%d at %s", i, until).isTrue();
        }
    }

    @Test
    void aTouchInsideBusinessHoursIsNotMoved() {
        Instant morning = at("2024-03-05T09:00", SHANGHAI);
        assertThat(GATE.decide(customer("c-1"), Touch.privateMessage("c-1", STAFF, ContentClass.VALUE), morning)
                .allowed()).isTrue();
        assertThat(BusinessHours.DEFAULT.openAtOrAfter(morning, SHANGHAI, "c-1", OutreachGate.OPENING_SPREAD))
                .isEqualTo(morning);
    }

    @Test
    void capDeferralsToTheNextDayAreSpreadToo() {
        Touch post = Touch.momentsPost("c-1", STAFF, ContentClass.VALUE);
        CustomerState posted = customer("c-1").withCounters(new Counters(0, 0, 1));
        Decision d = GATE.decide(posted, post, at("2024-03-05T15:00", SHANGHAI));
        assertThat(d.rule()).isEqualTo(Rule.MOMENTS_CAP);
        assertThat(d.until()).isBetween(OPENING, OPENING.plus(Duration.ofMinutes(90)));
    }
}
