package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** The gate's value types: defaults, bounds, parsing and period keys. */
class GateModelTest {

    @Test
    void defaultsAreTheSeedsRules() {
        Guardrails g = Guardrails.DEFAULTS;
        assertThat(g.businessHours()).isEqualTo(new BusinessHours(LocalTime.of(9, 0), LocalTime.of(21, 0)));
        assertThat(g.massMessagesPerMonth()).isEqualTo(4);
        assertThat(g.momentsPostsPerDay()).isEqualTo(1);
        assertThat(g.journeyMessagesPerWeek()).isEqualTo(3);
        assertThat(g.promotionalShareMax()).isEqualTo(0.30);
        assertThat(g.contentMixWindow()).isEqualTo(10);
        assertThat(g.promotionalPerWindow()).isEqualTo(3);
        assertThat(g.sensitiveIndustry()).isFalse();
    }

    @Test
    void aTenantMayBeStricterButNotLooserThanTheSeed() {
        assertThatThrownBy(() -> new Guardrails(BusinessHours.DEFAULT, 5, 1, 3, 0.3, 10, false))
                .hasMessage("massMessagesPerMonth 5 is outside 0..4");
        assertThatThrownBy(() -> new Guardrails(BusinessHours.DEFAULT, 4, 2, 3, 0.3, 10, false))
                .hasMessage("momentsPostsPerDay 2 is outside 0..1");
        assertThatThrownBy(() -> new Guardrails(BusinessHours.DEFAULT, 4, 1, 3, 0.31, 10, false))
                .hasMessage("promotionalShareMax 0.31 is outside 0..0.3");
        assertThatThrownBy(() -> new Guardrails(BusinessHours.DEFAULT, 4, 1, 3, 0.3, 0, false))
                .hasMessage("contentMixWindow 0 is outside 1..100");
    }

    @Test
    void businessHoursParse() {
        assertThat(BusinessHours.parse("09:00-21:00")).contains(BusinessHours.DEFAULT);
        assertThat(BusinessHours.parse(" 08:30 - 22:00 ")).contains(
                new BusinessHours(LocalTime.of(8, 30), LocalTime.of(22, 0)));
        assertThat(BusinessHours.parse("9-21")).isEmpty();
        assertThat(BusinessHours.parse("09:00-25:00")).isEmpty();
        assertThat(BusinessHours.parse("09:00-09:00")).isEmpty();
        assertThat(BusinessHours.DEFAULT).hasToString("09:00-21:00");
    }

    @Test
    void periodKeys() {
        Instant tuesday = Instant.parse("2024-03-05T02:00:00Z");
        assertThat(CapPeriod.DAY.key(tuesday, SHANGHAI)).isEqualTo("2024-03-05");
        assertThat(CapPeriod.WEEK.key(tuesday, SHANGHAI)).isEqualTo("2024-W10");
        assertThat(CapPeriod.MONTH.key(tuesday, SHANGHAI)).isEqualTo("2024-03");
        // Monday 30 December 2024 belongs to the week-based year 2025
        assertThat(CapPeriod.WEEK.key(Instant.parse("2024-12-30T02:00:00Z"), SHANGHAI)).isEqualTo("2025-W01");
    }

    @Test
    void periodStartsAcrossYearAndMonthEnds() {
        assertThat(CapPeriod.WEEK.nextStart(Instant.parse("2024-12-31T02:00:00Z"), SHANGHAI))
                .isEqualTo(Instant.parse("2025-01-05T16:00:00Z"));
        assertThat(CapPeriod.MONTH.nextStart(Instant.parse("2024-02-29T02:00:00Z"), SHANGHAI))
                .isEqualTo(Instant.parse("2024-02-29T16:00:00Z"));
        assertThat(CapPeriod.DAY.nextStart(Instant.parse("2024-12-31T16:00:00Z"), SHANGHAI))
                .isEqualTo(Instant.parse("2025-01-01T16:00:00Z"));
    }

    @Test
    void decisionsCarryWhatTheirKindNeeds() {
        assertThatThrownBy(() -> new Decision(Decision.Kind.DEFER, Rule.QUIET_HOURS, null, "r"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(Decision.Kind.DROP, null, null, "r"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(Decision.Kind.ALLOW, Rule.CONSENT, null, "r"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Decision.allow("ok").rule()).isNull();
    }

    @Test
    void touchesThatCannotExistAreRejected() {
        assertThatThrownBy(() -> Touch.privateMessage(CUSTOMER, null, ContentClass.VALUE))
                .hasMessageContaining("staffUserId is required");
        assertThatThrownBy(() -> Touch.groupMessage(CUSTOMER, null, ContentClass.VALUE))
                .hasMessageContaining("needs the groupId");
        assertThat(Touch.coupon(CUSTOMER, null).content()).isEqualTo(ContentClass.PROMOTIONAL);
    }

    @Test
    void countsCannotBeNegative() {
        assertThatThrownBy(() -> new Counters(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContentMix(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
