package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.Consent;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.Counters;
import dev.siyu.core.gate.CustomerState;
import dev.siyu.core.gate.CustomerStates;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.gate.Rule;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Dates are in 2052/2053 (the calendars of 2024/2025, so weekdays and ISO weeks match): DynamoDB Local
 * runs TTL deletion against the wall clock, and a counter of a past period would vanish mid-test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoOutreachCountersTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String STAFF = "zhangsan";

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoOutreachCounters counters;

    @BeforeAll
    void startDynamoDb() {
        counters = new DynamoOutreachCounters(aws.dynamo(), LocalAws.TABLE, meter);
    }

    private static Instant shanghai(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private void mass(String customer, Instant at) {
        counters.record("acme", customer, Channel.MASS_MESSAGE, ContentClass.VALUE, false, at, SHANGHAI);
    }

    @Test
    void massMessagesCountPerMonthInTheTenantZone() {
        for (int day = 1; day <= 5; day++) {
            mass("c-month", shanghai("2052-03-0" + day + "T10:00"));
        }
        Instant lastMinuteOfMarch = Instant.parse("2052-03-31T15:59:00Z");
        Instant alreadyAprilInShanghai = Instant.parse("2052-03-31T16:30:00Z");

        assertThat(counters.read("acme", "c-month", lastMinuteOfMarch, SHANGHAI).massMessagesThisMonth()).isEqualTo(5);
        assertThat(counters.read("acme", "c-month", alreadyAprilInShanghai, SHANGHAI).massMessagesThisMonth())
                .as("16:30Z on 31 March is 00:30 on 1 April in Shanghai").isZero();
        assertThat(counters.read("acme", "c-month", alreadyAprilInShanghai, ZoneId.of("UTC")).massMessagesThisMonth())
                .as("the zone decides the period: in UTC the same instant is still March").isEqualTo(5);

        mass("c-month", alreadyAprilInShanghai);
        assertThat(counters.read("acme", "c-month", shanghai("2052-04-20T10:00"), SHANGHAI))
                .isEqualTo(new Counters(1, 0, 0));
        assertThat(counters.read("acme", "c-month", lastMinuteOfMarch, SHANGHAI).massMessagesThisMonth())
                .as("the April send did not land in March").isEqualTo(5);
    }

    @Test
    void journeyStepsCountPerIsoWeekWhateverTheChannel() {
        // Sunday 2052-03-10 is the last day of 2052-W10; Monday 03-11 starts W11.
        counters.record("acme", "c-week", Channel.PRIVATE_MESSAGE, ContentClass.VALUE, true,
                shanghai("2052-03-04T09:00"), SHANGHAI);
        counters.record("acme", "c-week", Channel.MASS_MESSAGE, ContentClass.VALUE, true,
                shanghai("2052-03-10T23:30"), SHANGHAI);
        counters.record("acme", "c-week", Channel.PRIVATE_MESSAGE, ContentClass.VALUE, false,
                shanghai("2052-03-06T09:00"), SHANGHAI);

        assertThat(counters.read("acme", "c-week", shanghai("2052-03-10T23:59"), SHANGHAI))
                .isEqualTo(new Counters(1, 2, 0, 1, 1));
        assertThat(counters.read("acme", "c-week", shanghai("2052-03-11T00:00"), SHANGHAI).journeyMessagesThisWeek())
                .isZero();
    }

    @Test
    void isoWeeksCrossTheYearWithTheWeekBasedYear() {
        // Tuesday 2052-12-31 and Friday 2053-01-03 are both in 2053-W01.
        counters.record("acme", "c-newyear", Channel.PRIVATE_MESSAGE, ContentClass.VALUE, true,
                shanghai("2052-12-31T10:00"), SHANGHAI);
        assertThat(counters.read("acme", "c-newyear", shanghai("2053-01-03T10:00"), SHANGHAI).journeyMessagesThisWeek())
                .isEqualTo(1);
        assertThat(counters.read("acme", "c-newyear", shanghai("2052-12-29T10:00"), SHANGHAI).journeyMessagesThisWeek())
                .as("Sunday 2052-12-29 is 2052-W52").isZero();
    }

    @Test
    void momentsPostsCountPerDay() {
        counters.record("acme", "c-day", Channel.MOMENTS_POST, ContentClass.VALUE, false,
                shanghai("2052-03-05T10:00"), SHANGHAI);
        counters.record("acme", "c-day", Channel.MOMENTS_POST, ContentClass.VALUE, false,
                shanghai("2052-03-05T23:59"), SHANGHAI);
        counters.record("acme", "c-day", Channel.MOMENTS_POST, ContentClass.VALUE, false,
                shanghai("2052-03-06T00:00"), SHANGHAI);

        assertThat(counters.read("acme", "c-day", shanghai("2052-03-05T12:00"), SHANGHAI))
                .isEqualTo(new Counters(0, 0, 2));
        assertThat(counters.read("acme", "c-day", shanghai("2052-03-06T12:00"), SHANGHAI))
                .isEqualTo(new Counters(0, 0, 1));
    }

    @Test
    void staffTasksAndGroupMessagesAreNotCustomerCounts() {
        Instant now = shanghai("2052-03-05T10:00");
        counters.record("acme", "c-none", Channel.STAFF_TASK, ContentClass.PROMOTIONAL, true, now, SHANGHAI);
        counters.record("acme", "c-none", Channel.GROUP_MESSAGE, ContentClass.PROMOTIONAL, false, now, SHANGHAI);

        OutreachCounters.Reading reading = counters.read("acme", "c-none", now, SHANGHAI, 10);
        assertThat(reading.counters()).isEqualTo(Counters.NONE);
        assertThat(reading.mix()).isEqualTo(ContentMix.EMPTY);
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        Instant now = shanghai("2052-03-05T10:00");
        Concurrently.run(20, i -> {
            counters.record("acme", "c-race", Channel.MASS_MESSAGE, i % 2 == 0 ? ContentClass.VALUE
                    : ContentClass.PROMOTIONAL, true, now, SHANGHAI);
            return i;
        });

        OutreachCounters.Reading reading = counters.read("acme", "c-race", now, SHANGHAI, 100);
        assertThat(reading.counters()).isEqualTo(new Counters(20, 20, 0, 20, 20));
        assertThat(reading.mix()).isEqualTo(new ContentMix(10, 10));
    }

    @Test
    void touchRecordsExpireShortlyAfterTheirMonthEnds() {
        Instant now = shanghai("2052-03-05T10:00");
        counters.record("acme", new TouchRecord("c-ttl", "t1", now, Channel.MASS_MESSAGE, ContentClass.VALUE, true, 1,
                ""), SHANGHAI);

        long expiresAt = Attrs.number(item("c-ttl", SiyuTable.touchSk(now, "t1")), SiyuTable.EXPIRES_AT);
        assertThat(expiresAt).as("two days after its month; its ISO week ended before")
                .isEqualTo(shanghai("2052-04-03T00:00").getEpochSecond());
        assertThat(counters.read("acme", "c-ttl", shanghai("2052-04-02T23:00"), SHANGHAI, 10).mix())
                .as("kept until it expires").isEqualTo(new ContentMix(1, 0));
        assertThat(counters.read("acme", "c-ttl", shanghai("2052-04-03T10:00"), SHANGHAI, 10).mix())
                .as("ignored once expired, before DynamoDB's TTL removes it").isEqualTo(ContentMix.EMPTY);
    }

    private Map<String, AttributeValue> item(String customer, String sk) {
        return aws.dynamo().getItem(b -> b.tableName(LocalAws.TABLE)
                .key(SiyuTable.key(SiyuTable.customerPk("acme", customer), sk)).consistentRead(true)).item();
    }

    @Test
    void aRecordIsOnePutAndAReadOneQuery() {
        Instant now = shanghai("2052-03-05T10:00");
        CapacityMeter.Snapshot before = meter.snapshot();
        counters.record("acme", new TouchRecord("c-cost", "t1", now, Channel.MASS_MESSAGE, ContentClass.PROMOTIONAL,
                true, 1, ""), SHANGHAI);
        CapacityMeter.Snapshot write = meter.snapshot().minus(before);
        counters.record("acme", new TouchRecord("c-cost", "t2", now, Channel.PRIVATE_MESSAGE, ContentClass.VALUE,
                false, 2, "P"), SHANGHAI);
        counters.record("acme", new TouchRecord("c-cost", "t2", now, Channel.PRIVATE_MESSAGE, ContentClass.VALUE,
                false, 2, "P"), SHANGHAI);

        before = meter.snapshot();
        OutreachCounters.Reading reading = counters.read("acme", "c-cost", now, SHANGHAI, 10);
        CapacityMeter.Snapshot read = meter.snapshot().minus(before);

        System.out.printf("outreach counters: a touch record %.1f WCU (%d request), read %.1f RCU (%d request)%n",
                write.writes(), write.requests(), read.reads(), read.requests());
        assertThat(write.writes()).isEqualTo(1.0);
        assertThat(write.requests()).isEqualTo(1);
        assertThat(read.requests()).isEqualTo(1);
        assertThat(read.reads()).as("one strongly consistent Query under 4 KB").isEqualTo(1.0);
        assertThat(reading.counters()).as("the same touch written twice counts once").isEqualTo(new Counters(1, 1, 0, 1, 1));
        assertThat(reading.mix()).isEqualTo(new ContentMix(1, 1));
    }

    @Test
    void theMixIsTheLatestWindowAndOutlivesExpiredRecords() {
        List<ContentClass> sent = new ArrayList<>();
        Instant first = shanghai("2052-01-05T10:00");
        for (int i = 0; i < 23; i++) {
            ContentClass c = i % 3 == 0 ? ContentClass.PROMOTIONAL : ContentClass.VALUE;
            sent.add(c);
            // Twenty in January, three on February 1st, while January's records are still kept.
            Instant at = i < 20 ? first.plus(Duration.ofHours(i)) : shanghai("2052-02-01T10:00").plus(Duration.ofHours(i));
            counters.record("acme", "c-mix", Channel.COUPON, c, false, at, SHANGHAI);
        }
        // January's records have expired by now; the first February one carries their history.
        Instant now = shanghai("2052-02-20T10:00");
        // The latest 4 are sends 19..22: 21 is promotional.
        assertThat(counters.read("acme", "c-mix", now, SHANGHAI, 4).mix()).isEqualTo(new ContentMix(3, 1));
        assertThat(counters.read("acme", "c-mix", now, SHANGHAI, 5).mix()).isEqualTo(new ContentMix(3, 2));
    }

    @Test
    void tenantsAndCustomersAreSeparate() {
        Instant now = shanghai("2052-03-05T10:00");
        counters.record("acme", "c-sep", Channel.MASS_MESSAGE, ContentClass.VALUE, false, now, SHANGHAI);
        assertThat(counters.read("other", "c-sep", now, SHANGHAI)).isEqualTo(Counters.NONE);
        assertThat(counters.read("acme", "c-sep-2", now, SHANGHAI)).isEqualTo(Counters.NONE);
    }

    /** The gate fed from the store, as a sender uses them: read, decide, send and record only when allowed. */
    @Test
    void theGateFedFromTheStoreDropsTheFifthMassMessageOfTheMonth() {
        OutreachGate gate = new OutreachGate(Guardrails.DEFAULTS, SHANGHAI);
        CustomerProfile profile = profile("c-gate");
        Consent consent = Consent.grantedAt(Instant.parse("2052-01-01T00:00:00Z"));
        List<Decision> decisions = new ArrayList<>();
        for (int day = 4; day <= 8; day++) {
            Instant now = shanghai("2052-03-0" + day + "T10:00");
            // transactional (after-sales): the class that may take the month's last slot (mass_message_reserve)
            Touch touch = Touch.massMessage("c-gate", STAFF, ContentClass.VALUE).exempt(
                    dev.siyu.core.gate.Exemption.AFTER_SALES);
            Decision d = decide(gate, profile, consent, touch, now);
            decisions.add(d);
            if (d.allowed()) {
                counters.record("acme", touch, now, SHANGHAI);
            }
        }
        assertThat(decisions).extracting(Decision::kind).containsExactly(Decision.Kind.ALLOW, Decision.Kind.ALLOW,
                Decision.Kind.ALLOW, Decision.Kind.ALLOW, Decision.Kind.DROP);
        assertThat(decisions.get(4).rule()).isEqualTo(Rule.MASS_MESSAGE_CAP);
        assertThat(decide(gate, profile, consent, Touch.massMessage("c-gate", STAFF, ContentClass.VALUE),
                shanghai("2052-04-01T10:00")).allowed()).as("a new month, a new allowance").isTrue();
    }

    @Test
    void theGateFedFromTheStoreKeepsPromotionsWithinTheMix() {
        OutreachGate gate = new OutreachGate(Guardrails.DEFAULTS, SHANGHAI);
        CustomerProfile profile = profile("c-gate-mix");
        Consent consent = Consent.grantedAt(Instant.parse("2052-01-01T00:00:00Z"));
        Instant now = shanghai("2052-03-05T10:00");
        List<Decision.Kind> kinds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Touch touch = Touch.privateMessage("c-gate-mix", STAFF, ContentClass.PROMOTIONAL);
            Decision d = decide(gate, profile, consent, touch, now);
            kinds.add(d.kind());
            if (d.allowed()) {
                counters.record("acme", touch, now, SHANGHAI);
            }
        }
        assertThat(kinds).as("3 of a window of 10 may be promotional")
                .containsExactly(Decision.Kind.ALLOW, Decision.Kind.ALLOW, Decision.Kind.ALLOW, Decision.Kind.DROP);
    }

    private Decision decide(OutreachGate gate, CustomerProfile profile, Consent consent, Touch touch, Instant now) {
        OutreachCounters.Reading r = counters.read("acme", profile.customerId(), now, SHANGHAI,
                Guardrails.DEFAULTS.contentMixWindow());
        CustomerState state = CustomerStates.from(profile, consent, r.counters(), r.mix());
        return gate.decide(state, touch, now);
    }

    private static CustomerProfile profile(String customerId) {
        Instant since = Instant.parse("2052-01-01T00:00:00Z");
        return new CustomerProfile("acme", customerId, "王小明", null, null, null, null, null, Set.of(),
                Map.of(STAFF, StaffRelationship.started(STAFF, "parcel_card_east", since, false)), Map.of(), since,
                since);
    }

    @Test
    void ofTwoStepsRacingForTheLastWeeklySlotOneReservesItAndTheOtherSeesItTaken() throws Exception {
        // GIVEN a customer with one journey touch this week (the example cap is 2) and two steps that read that
        Instant monday = shanghai("2052-03-04T10:00");
        counters.reserve("acme", TouchRecord.of("c-last-slot", "a#r1#0", monday, Channel.PRIVATE_MESSAGE,
                ContentClass.VALUE, true, null).intent().settled(TouchRecord.Status.SENT, "msg1"), SHANGHAI);
        OutreachCounters.Reading read = counters.read("acme", "c-last-slot", monday.plusSeconds(60), SHANGHAI, 10);

        // WHEN both reserve the next slot at once
        List<Boolean> won = Concurrently.run(2, i -> counters.reserve("acme", TouchRecord.of("c-last-slot",
                "journey" + i + "#r#1", monday.plusSeconds(60 + i), Channel.PRIVATE_MESSAGE, ContentClass.VALUE, true,
                read).intent(), SHANGHAI));

        // THEN one did; the one refused reads the winner's intent, which holds the slot
        assertThat(won).containsOnlyOnce(true);
        OutreachCounters.Reading after = counters.read("acme", "c-last-slot", monday.plusSeconds(120), SHANGHAI, 10);
        assertThat(after.counters().journeyMessagesThisWeek()).isEqualTo(2);
        assertThat(counters.touches("acme", "c-last-slot")).filteredOn(t -> t.status() == TouchRecord.Status.SENDING)
                .singleElement().satisfies(t -> assertThat(t.seq()).isEqualTo(2));
    }

    @Test
    void anIntentReadsBackWithItsStatusAndACancelledOneHoldsNoSlot() {
        Instant at = shanghai("2052-03-05T10:00");
        TouchRecord intent = TouchRecord.of("c-intent", "a#r1#0", at, Channel.PRIVATE_MESSAGE, ContentClass.PROMOTIONAL,
                true, null).intent();
        assertThat(counters.reserve("acme", intent, SHANGHAI)).isTrue();
        assertThat(counters.touches("acme", "c-intent")).containsExactly(intent);
        assertThat(counters.read("acme", "c-intent", at, SHANGHAI, 10).counters().journeyMessagesThisWeek()).isEqualTo(1);

        counters.record("acme", intent.settled(TouchRecord.Status.CANCELLED, null), SHANGHAI);

        assertThat(counters.touches("acme", "c-intent")).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TouchRecord.Status.CANCELLED));
        OutreachCounters.Reading read = counters.read("acme", "c-intent", at, SHANGHAI, 10);
        assertThat(read.counters().journeyMessagesThisWeek()).isZero();
        assertThat(read.mix().promotional()).isZero();
        assertThat(read.nextSeq()).as("its seq stays taken").isEqualTo(2);
    }
}
