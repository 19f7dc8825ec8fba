package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Rule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoDecisionCountsTest {
    private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
    private static final Decision ALLOW = Decision.allow("within every cap");
    private static final Decision MASS_CAP = Decision.drop(Rule.MASS_MESSAGE_CAP, "4 mass messages this month");
    private static final Decision QUIET = Decision.defer(Instant.parse("2026-03-02T01:00:00Z"), Rule.QUIET_HOURS,
            "22:00-09:00");

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoDecisionCounts counts;

    @BeforeAll
    void startDynamoDb() {
        counts = new DynamoDecisionCounts(aws.dynamo(), LocalAws.TABLE, meter);
    }

    @BeforeEach
    void resetMeter() {
        meter.reset();
    }

    @Test
    void theReportSumsEachDecisionOverTheChosenDays() {
        counts.count("brand-a", MAR_1, ALLOW);
        counts.count("brand-a", MAR_1, ALLOW);
        counts.count("brand-a", MAR_1, MASS_CAP);
        counts.count("brand-a", MAR_1.plusDays(1), ALLOW);
        counts.count("brand-a", MAR_1.plusDays(1), QUIET);
        counts.count("brand-a", MAR_1.plusDays(2), MASS_CAP);
        counts.count("brand-a", MAR_1.minusDays(1), MASS_CAP);

        assertThat(counts.counts("brand-a", MAR_1, MAR_1.plusDays(1)))
                .containsExactly(Map.entry("ALLOW", 3L), Map.entry("DEFER:QUIET_HOURS", 1L),
                        Map.entry("DROP:MASS_MESSAGE_CAP", 1L));
        assertThat(counts.counts("brand-a", MAR_1.plusDays(2), MAR_1.plusDays(2)))
                .containsExactly(Map.entry("DROP:MASS_MESSAGE_CAP", 1L));
    }

    @Test
    void tenantsAreCountedApart() {
        counts.count("brand-b", MAR_1, ALLOW);
        counts.count("brand-c", MAR_1, MASS_CAP);

        assertThat(counts.counts("brand-b", MAR_1, MAR_1)).containsExactly(Map.entry("ALLOW", 1L));
        assertThat(counts.counts("brand-d", MAR_1, MAR_1)).isEmpty();
    }

    @Test
    void anEmptyOrReversedRangeHasNoCounts() {
        counts.count("brand-e", MAR_1, ALLOW);

        assertThat(counts.counts("brand-e", MAR_1.plusDays(1), MAR_1.plusDays(30))).isEmpty();
        assertThat(counts.counts("brand-e", MAR_1, MAR_1.minusDays(1))).isEmpty();
    }

    @Test
    void concurrentDecisionsAreAllCounted() throws Exception {
        Concurrently.run(20, i -> {
            counts.count("brand-f", MAR_1, i % 4 == 0 ? MASS_CAP : ALLOW);
            return null;
        });

        assertThat(counts.counts("brand-f", MAR_1, MAR_1))
                .containsExactly(Map.entry("ALLOW", 15L), Map.entry("DROP:MASS_MESSAGE_CAP", 5L));
    }

    @Test
    void aDecisionCostsOneWriteUnitAndAMonthsReportOneQuery() {
        for (Decision d : List.of(ALLOW, MASS_CAP, QUIET, Decision.convertToHuman("first touch"))) {
            counts.count("brand-g", MAR_1, d);
        }
        meter.reset();

        counts.count("brand-g", MAR_1, ALLOW);
        CapacityMeter.Snapshot one = meter.snapshot();
        for (int day = 1; day < 31; day++) {
            counts.count("brand-g", MAR_1.plusDays(day), ALLOW);
        }
        meter.reset();
        Map<String, Long> month = counts.counts("brand-g", MAR_1, MAR_1.plusDays(30));
        CapacityMeter.Snapshot report = meter.snapshot();

        System.out.printf("decision counts, DynamoDB Local: count %.1f WCU, 31-day report %.1f RCU in %d request(s)%n",
                one.writes(), report.reads(), report.requests());
        assertThat(month.get("ALLOW")).isEqualTo(32L);
        assertThat(one.writes()).isEqualTo(1.0);
        assertThat(report.requests()).isEqualTo(1);
        assertThat(report.reads()).as("31 small items, under 4 KB, eventually consistent").isEqualTo(0.5);
    }

    /** Issue 10, item 16: a tenant's day was one item, capped near 1,000 writes/s; now no item takes more than its share. */
    @Test
    void aDaysDecisionsSpreadOverShardsSoNoSingleItemTakesThemAll() {
        for (int i = 0; i < 800; i++) {
            counts.count("brand-h", MAR_1, i % 8 == 0 ? QUIET : ALLOW);
        }

        List<Map<String, AttributeValue>> items = aws.dynamo()
                .query(b -> b.tableName(LocalAws.TABLE).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SiyuTable.gatePk("brand-h")))))
                .items();
        assertThat(items).hasSize(DynamoDecisionCounts.SHARDS);
        for (Map<String, AttributeValue> item : items) {
            long writes = item.entrySet().stream().filter(e -> e.getValue().n() != null)
                    .mapToLong(e -> Long.parseLong(e.getValue().n())).sum();
            // 800 / 16 = 50 on average; one item used to take all 800
            assertThat(writes).as(item.get("sk").s()).isLessThan(100);
        }
        assertThat(counts.counts("brand-h", MAR_1, MAR_1))
                .containsExactly(Map.entry("ALLOW", 700L), Map.entry("DEFER:QUIET_HOURS", 100L));
    }

    @Test
    void aDayCountedBeforeShardingStillCounts() {
        aws.dynamo().putItem(b -> b.tableName(LocalAws.TABLE).item(Map.of(
                "pk", AttributeValue.fromS(SiyuTable.gatePk("brand-i")), "sk", AttributeValue.fromS(SiyuTable.day(MAR_1)),
                "ALLOW", Attrs.number(5))));
        counts.count("brand-i", MAR_1, ALLOW);

        assertThat(counts.counts("brand-i", MAR_1, MAR_1)).containsExactly(Map.entry("ALLOW", 6L));
    }
}
