package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Two tenants' profiles among their other items; a third tenant whose name starts like the first. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoProfileScanTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final int BRAND_A = 300;
    private static final int BRAND_B = 150;

    private LocalAws aws;
    private final CapacityMeter meter = new CapacityMeter();
    private final Map<String, CustomerProfile> brandA = new HashMap<>();

    @BeforeAll
    void fillTable() {
        aws = LocalAws.start();
        BatchWriter batch = new BatchWriter(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        DynamoJourneyRunStore runs = new DynamoJourneyRunStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        DynamoCustomerStore customers = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < BRAND_A; i++) {
            CustomerProfile p = profile("brand-a", "c-" + i, i);
            brandA.put(p.customerId(), p.atVersion(1));
            items.add(ProfileItems.profileItem(p));
            // Items in the same partitions that are not profiles: the scan must skip them.
            items.add(ProfileItems.eventItem("brand-a", p.customerId(),
                    new TimelineEvent("ev-" + i, T0.plusSeconds(i), "contact_added", "zhang.wei", Map.of())));
        }
        for (int i = 0; i < BRAND_B; i++) {
            items.add(ProfileItems.profileItem(profile("brand-b", "c-" + i, i)));
        }
        for (int i = 0; i < 20; i++) {
            items.add(ProfileItems.profileItem(profile("brand-a2", "c-" + i, i)));
        }
        batch.putAll(items);
        for (int i = 0; i < 10; i++) {
            runs.start(JourneyRun.start("brand-a", "c-" + i, "welcome", "r1", 1, T0, null, T0));
            customers.claimIdentity("brand-a", IdentityType.EXTERNAL_USERID, "wm" + i, "c-" + i);
        }
    }

    @AfterAll
    void stop() {
        aws.close();
    }

    private static CustomerProfile profile(String tenant, String customerId, int i) {
        Activity activity = i % 3 == 0 ? Activity.NONE : Activity.NONE.purchased(99.5 * i, "coffee", T0.plusSeconds(i));
        return new CustomerProfile(tenant, customerId, "客户 " + i, null, "store_sh_01", null, null, "Shanghai",
                Set.of("VIP"), Map.of(), Map.of(IdentityType.EXTERNAL_USERID.key(), "wm" + i), T0, T0.plusSeconds(i),
                activity);
    }

    @Test
    void everyProfileOfTheTenantExactlyOnceAndNothingElse() {
        DynamoProfileScan scan = new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter, 4, 40);
        List<CustomerProfile> seen = new ArrayList<>();
        Set<Thread> threads = new HashSet<>();

        scan.forEach("brand-a", p -> {
            seen.add(p);
            threads.add(Thread.currentThread());
        });

        assertThat(seen).hasSize(BRAND_A);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(brandA.values());
        assertThat(threads).as("the action runs on the caller's thread only").containsExactly(Thread.currentThread());
    }

    @Test
    void theOtherTenantSeesOnlyItsOwn() {
        DynamoProfileScan scan = new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter);
        List<CustomerProfile> seen = new ArrayList<>();

        scan.forEach("brand-b", seen::add);

        assertThat(seen).hasSize(BRAND_B).allMatch(p -> p.tenant().equals("brand-b"));
        assertThat(seen).extracting(CustomerProfile::customerId).doesNotHaveDuplicates();
    }

    @Test
    void oneSegmentFindsTheSameAsFour() {
        List<String> one = new ArrayList<>();
        new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter, 1, 50).forEach("brand-a", p -> one.add(p.customerId()));

        assertThat(one).containsExactlyInAnyOrderElementsOf(brandA.keySet());
    }

    @Test
    void aFailingActionStopsTheScanAndIsThrown() {
        DynamoProfileScan scan = new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter, 4, 10);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> scan.forEach("brand-a", p -> {
            if (calls.incrementAndGet() == 25) {
                throw new IllegalStateException("rule failed");
            }
        })).hasMessage("rule failed");
        assertThat(calls).hasValue(25);
    }

    @Test
    void readUnitsAreThoseOfTheWholeTable() {
        meter.reset();
        new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter).forEach("brand-b", p -> { });
        CapacityMeter.Snapshot forB = meter.snapshot();

        System.out.printf("profile scan, DynamoDB Local: %.1f RCU in %d requests for %d of %d profiles "
                + "(every item of the table is read, whatever the filter)%n", forB.reads(), forB.requests(), BRAND_B,
                BRAND_A + BRAND_B + 20);
        assertThat(forB.requests()).as("at least one page per segment").isGreaterThanOrEqualTo(4);
        meter.reset();
        new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter).forEach("brand-a", p -> { });
        assertThat(meter.reads()).as("a small tenant pays for the big one's items too").isEqualTo(forB.reads());
    }
}
