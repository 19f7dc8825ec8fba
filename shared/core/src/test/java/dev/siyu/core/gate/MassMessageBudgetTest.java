package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.SHANGHAI;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.at;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.port.TouchLog;
import dev.siyu.core.port.TouchRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Customer mass messages counted as WeCom counts them: every add_msg_template task to a customer (a journey's
 * coupon or group invite, a VIP invite, an operator's mass send) against the guardrail's monthly cap and the corp's
 * platform rule, with the month's last slots kept for the blueprint's first priorities.
 */
class MassMessageBudgetTest {
    private static final OutreachGate GATE = new OutreachGate(Guardrails.DEFAULTS, SHANGHAI);
    private static final String GROUP = "wr-vip";

    private static TouchRecord sent(String id, Instant at, Channel channel, ContentClass content, boolean journey) {
        return new TouchRecord(CUSTOMER, id, at, channel, content, journey, 1, "");
    }

    private static CustomerState withRecords(List<TouchRecord> records, Instant now) {
        return customer().withCounters(TouchLog.reading(records, now, SHANGHAI, 10).counters());
    }

    @Nested
    class EveryTaskCounts {
        @Test
        void aJourneyCouponAVipInviteAndAMassSendInOneMonthAreThreeMassMessages_aPrivateMessageIsNone() {
            // GIVEN a journey coupon, a community VIP invite and an operator mass send this month, and a desk message
            Instant now = tuesdayMorning();
            List<TouchRecord> records = List.of(
                    sent("journey#coupon", at("2024-03-01T10:00", SHANGHAI), Channel.COUPON, ContentClass.PROMOTIONAL, true),
                    sent("vip#invite", at("2024-03-02T10:00", SHANGHAI), Channel.GROUP_INVITE, ContentClass.VALUE, false),
                    sent("mass#spring", at("2024-03-03T10:00", SHANGHAI), Channel.MASS_MESSAGE, ContentClass.VALUE, false),
                    sent("journey#desk", at("2024-03-04T10:00", SHANGHAI), Channel.PRIVATE_MESSAGE, ContentClass.VALUE,
                            true));
            // WHEN the gate reads them
            Counters counters = TouchLog.reading(records, now, SHANGHAI, 10).counters();
            // THEN three customer mass messages this month; the 1-on-1 message spends none of the budget
            assertThat(counters.massMessagesThisMonth()).isEqualTo(3);
            assertThat(counters.massMessagesToday()).isZero();
        }

        @Test
        void afterThreeOfAnyKindAValueInviteIsDropped_aTransactionalNoticeStillGoesOut() {
            Instant now = tuesdayMorning();
            CustomerState state = withRecords(List.of(
                    sent("journey#coupon", at("2024-03-01T10:00", SHANGHAI), Channel.COUPON, ContentClass.PROMOTIONAL, true),
                    sent("vip#invite", at("2024-03-02T10:00", SHANGHAI), Channel.GROUP_INVITE, ContentClass.VALUE, false),
                    sent("mass#spring", at("2024-03-03T10:00", SHANGHAI), Channel.MASS_MESSAGE, ContentClass.VALUE,
                            false)), now);
            Decision invite = GATE.decide(state, Touch.groupInvite(CUSTOMER, STAFF, GROUP), now);
            assertThat(invite.kind()).isEqualTo(Decision.Kind.DROP);
            assertThat(invite.rule()).isEqualTo(Rule.MASS_MESSAGE_CAP);
            assertThat(invite.reason()).contains("3 of 4").contains("kept for [transactional, human_confirmed]");
            Touch notice = Touch.massMessage(CUSTOMER, STAFF, ContentClass.VALUE).exempt(Exemption.AFTER_SALES);
            assertThat(GATE.decide(state, notice, now).allowed()).isTrue();
        }

        @Test
        void lastMonthsTasksDoNotCount() {
            Instant now = tuesdayMorning();
            CustomerState state = withRecords(List.of(
                    sent("a", at("2024-02-27T10:00", SHANGHAI), Channel.COUPON, ContentClass.PROMOTIONAL, true),
                    sent("b", at("2024-02-28T10:00", SHANGHAI), Channel.GROUP_INVITE, ContentClass.VALUE, false),
                    sent("c", at("2024-02-29T10:00", SHANGHAI), Channel.MASS_MESSAGE, ContentClass.VALUE, false)), now);
            assertThat(state.counters().massMessagesThisMonth()).isZero();
            assertThat(GATE.decide(state, Touch.coupon(CUSTOMER, STAFF), now).allowed()).isTrue();
        }
    }

    @Nested
    class PlatformRule {
        @Test
        void oneADay_aSecondTaskTodayWaitsForTomorrowsOpening() {
            OutreachGate gate = new OutreachGate(Guardrails.DEFAULTS.withPlatformLimit(PlatformMessageLimit.ONE_PER_DAY),
                    SHANGHAI);
            Instant now = tuesdayMorning();
            CustomerState state = withRecords(List.of(sent("mass#a", now.minusSeconds(600), Channel.MASS_MESSAGE,
                    ContentClass.VALUE, false)), now);
            Decision d = gate.decide(state, Touch.groupInvite(CUSTOMER, STAFF, GROUP), now);
            assertThat(d.kind()).isEqualTo(Decision.Kind.DEFER);
            assertThat(d.rule()).isEqualTo(Rule.PLATFORM_CAP);
            assertThat(d.until()).isEqualTo(at("2024-03-06T09:00", SHANGHAI));
            assertThat(d.reason()).contains("one_per_day").contains("41048");
        }

        @Test
        void daysInMonth_theDefault_neverBindsBeforeTheGuardrail() {
            Instant now = tuesdayMorning();
            CustomerState state = withRecords(List.of(sent("mass#a", now.minusSeconds(600), Channel.MASS_MESSAGE,
                    ContentClass.VALUE, false)), now);
            assertThat(GATE.decide(state, Touch.groupInvite(CUSTOMER, STAFF, GROUP), now).allowed()).isTrue();
            assertThat(PlatformMessageLimit.DAYS_IN_MONTH.allowed(at("2024-02-10T10:00", SHANGHAI), SHANGHAI))
                    .isEqualTo(29);
            assertThat(PlatformMessageLimit.DAYS_IN_MONTH.allowed(at("2023-02-10T10:00", SHANGHAI), SHANGHAI))
                    .isEqualTo(28);
        }

        @Test
        void sevenPerWeek_theEighthTaskOfTheWeekWaitsForMonday() {
            OutreachGate gate = new OutreachGate(
                    Guardrails.DEFAULTS.withPlatformLimit(PlatformMessageLimit.SEVEN_PER_WEEK), SHANGHAI);
            // WeCom counts the week whoever sent (a member's own tasks too); the counters say 7 this week
            CustomerState state = customer().withCounters(new Counters(0, 0, 0, 7, 1));
            Decision d = gate.decide(state, Touch.coupon(CUSTOMER, STAFF), tuesdayMorning());
            assertThat(d.rule()).isEqualTo(Rule.PLATFORM_CAP);
            assertThat(d.until()).isEqualTo(at("2024-03-11T09:00", SHANGHAI));
        }
    }

    @Nested
    class PriorityReserve {
        @Test
        void aPromotionNeverTakesTheSlotATransactionalNoticeNeeds() {
            Guardrails g = Guardrails.DEFAULTS;
            assertThat(g.massSlotsFor(MessagePriority.TRANSACTIONAL)).isEqualTo(4);
            assertThat(g.massSlotsFor(MessagePriority.HUMAN_CONFIRMED)).isEqualTo(3);
            assertThat(g.massSlotsFor(MessagePriority.PROMOTIONAL)).isEqualTo(3);
        }

        @Test
        void aReserveOfTwoGradesTheClasses() {
            Guardrails g = Guardrails.DEFAULTS.withMassMessagePriority(Guardrails.DEFAULT_PRIORITY, 2);
            assertThat(g.massSlotsFor(MessagePriority.TRANSACTIONAL)).isEqualTo(4);
            assertThat(g.massSlotsFor(MessagePriority.HUMAN_CONFIRMED)).isEqualTo(3);
            assertThat(g.massSlotsFor(MessagePriority.SERVICE)).isEqualTo(2);
            assertThat(g.massSlotsFor(MessagePriority.PROMOTIONAL)).isEqualTo(2);
            OutreachGate gate = new OutreachGate(g, SHANGHAI);
            CustomerState twoUsed = customer().withCounters(new Counters(2, 0, 0));
            assertThat(gate.decide(twoUsed, Touch.coupon(CUSTOMER, STAFF), tuesdayMorning()).rule())
                    .isEqualTo(Rule.MASS_MESSAGE_CAP);
            assertThat(gate.decide(twoUsed, Touch.massMessage(CUSTOMER, STAFF, ContentClass.VALUE)
                    .exempt(Exemption.REPLY_TO_CUSTOMER), tuesdayMorning()).allowed()).isTrue();
        }

        @Test
        void theOrderIsTheBlueprints_promotionalFirstGetsEveryInvite() {
            Guardrails g = Guardrails.DEFAULTS.withMassMessagePriority(List.of(MessagePriority.PROMOTIONAL,
                    MessagePriority.TRANSACTIONAL, MessagePriority.HUMAN_CONFIRMED, MessagePriority.SERVICE,
                    MessagePriority.VALUE), 1);
            assertThat(g.massSlotsFor(MessagePriority.PROMOTIONAL)).isEqualTo(4);
            assertThat(g.massSlotsFor(MessagePriority.TRANSACTIONAL)).isEqualTo(3);
        }

        @Test
        void anOrderMustNameEachClassOnce() {
            assertThatThrownBy(() -> Guardrails.DEFAULTS.withMassMessagePriority(List.of(MessagePriority.VALUE), 1))
                    .hasMessageContaining("must name each of");
            assertThatThrownBy(() -> Guardrails.DEFAULTS.withMassMessagePriority(Guardrails.DEFAULT_PRIORITY, 5))
                    .hasMessageContaining("massMessageReserve 5 is outside 0..4");
        }

        @Test
        void touchesTakeTheirClassFromWhatTheyAre() {
            assertThat(Touch.coupon(CUSTOMER, STAFF).priority()).isEqualTo(MessagePriority.PROMOTIONAL);
            assertThat(Touch.groupInvite(CUSTOMER, STAFF, GROUP).priority()).isEqualTo(MessagePriority.SERVICE);
            assertThat(Touch.massMessage(CUSTOMER, STAFF, ContentClass.VALUE).priority())
                    .isEqualTo(MessagePriority.VALUE);
            assertThat(Touch.massMessage(CUSTOMER, STAFF, ContentClass.VALUE).exempt(Exemption.AFTER_SALES).priority())
                    .isEqualTo(MessagePriority.TRANSACTIONAL);
        }
    }
}
