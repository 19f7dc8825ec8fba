package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.port.ProfileScan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Two tenants' profiles among their other items; a third tenant whose name starts like the first. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoProfileScanTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final int BRAND_A = 300;
    private static final int BRAND_B = 150;

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private final Map<String, CustomerProfile> brandA = new HashMap<>();

    @BeforeAll
    void fillTable() {
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
            runs.start(JourneyRun.start("brand-a", "c-" + i, "welcome", "r1", 1, T0, null, T0), 0, List.of());
            customers.claimIdentity("brand-a", IdentityType.EXTERNAL_USERID, "wm" + i, "c-" + i);
        }
    }

    private DynamoProfileScan scan(int readers, int pageLimit) {
        return new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter, readers, pageLimit, Duration.ofMinutes(5),
                Clock.systemUTC());
    }

    private static CustomerProfile profile(String tenant, String customerId, int i) {
        Activity activity = i % 3 == 0 ? Activity.NONE : Activity.NONE.purchased(99.5 * i, "coffee", T0.plusSeconds(i));
        return new CustomerProfile(tenant, customerId, "客户 " + i, null, "store_sh_01", null, null, "Shanghai",
                Set.of("VIP"), Map.of(), Map.of(IdentityType.EXTERNAL_USERID.key(), "wm" + i), T0, T0.plusSeconds(i),
                activity);
    }

    @Test
    void everyProfileOfTheTenantExactlyOnceAndNothingElse() {
        DynamoProfileScan scan = scan(4, 40);
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
    void aProfileMergedIntoAnotherIsNotHandedOut() {
        // GIVEN a WeCom-first profile merged into a Mini Program member of the same person
        DynamoCustomerStore customers = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        customers.save(profile("brand-m", "mp-1", 1), List.of());
        customers.save(profile("brand-m", "wx-wm1", 1).mergedInto("mp-1", T0), List.of());
        List<String> seen = new ArrayList<>();
        // WHEN a job scans the tenant
        new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter).forEach("brand-m", p -> seen.add(p.customerId()));
        // THEN it sees the member alone: the person is one customer to the jobs
        assertThat(seen).containsExactly("mp-1");
        assertThat(customers.profile("brand-m", "wx-wm1").orElseThrow().mergedInto()).contains("mp-1");
    }

    @Test
    void oneSegmentFindsTheSameAsFour() {
        List<String> one = new ArrayList<>();
        scan(1, 50).forEach("brand-a", p -> one.add(p.customerId()));

        assertThat(one).containsExactlyInAnyOrderElementsOf(brandA.keySet());
    }

    @Test
    void aFailingActionStopsTheScanAndIsThrown() {
        DynamoProfileScan scan = scan(4, 10);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> scan.forEach("brand-a", p -> {
            if (calls.incrementAndGet() == 25) {
                throw new IllegalStateException("rule failed");
            }
        })).hasMessage("rule failed");
        assertThat(calls).hasValue(25);
    }

    /** Issue 10, item 16: the jobs read profiles only, so a small tenant no longer pays for a big one's table. */
    @Test
    void readUnitsAreThoseOfTheTenantsProfilesOnly() {
        meter.reset();
        new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter).forEach("brand-b", p -> { });
        CapacityMeter.Snapshot forB = meter.snapshot();
        meter.reset();
        new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter).forEach("brand-a", p -> { });
        CapacityMeter.Snapshot forA = meter.snapshot();

        System.out.printf("profiles index, DynamoDB Local: brand-b %.1f RCU in %d requests for %d profiles; brand-a %.1f RCU"
                + " for %d profiles (and as many timeline events, runs and aliases, none read)%n", forB.reads(),
                forB.requests(), BRAND_B, forA.reads(), BRAND_A);
        assertThat(forB.reads()).as("the smaller tenant reads less").isLessThan(forA.reads());
        // a BatchGetItem of small profiles is 0.5 RCU each; the keys-only index pages add a little
        assertThat(forA.reads()).isLessThan(BRAND_A * 0.5 + 32 * 0.5 + 1);
    }

    /**
     * Issue 10, item 16: a job that runs out of time stops handing out profiles before its deadline, and the
     * next invocation of the same pass continues where it stopped instead of starting over.
     */
    @Test
    void aPassThatRunsOutOfTimeStopsAndTheNextCallGoesOnFromItsCheckpoint() {
        DynamoProfileScan slow = new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, meter, 4, 10, Duration.ofMillis(400),
                Clock.systemUTC());
        Map<String, Integer> handed = new HashMap<>();
        List<ProfileScan.Pass> calls = new ArrayList<>();
        ProfileScan.Pass pass;
        do {
            pass = slow.pass("brand-a", "daily-rules#2026-03-01", p -> {
                handed.merge(p.customerId(), 1, Integer::sum);
                sleep(3);
            });
            calls.add(pass);
        } while (!pass.complete() && calls.size() < 50);

        assertThat(calls.size()).as("300 profiles at 3 ms each do not fit in one 400 ms call").isGreaterThan(1);
        assertThat(calls.subList(0, calls.size() - 1)).allMatch(c -> !c.complete());
        assertThat(handed.keySet()).containsExactlyInAnyOrderElementsOf(brandA.keySet());
        int total = handed.values().stream().mapToInt(Integer::intValue).sum();
        // only a page cut short by the deadline is handed out again: at most one page (10) per stop
        assertThat(total).isLessThanOrEqualTo(BRAND_A + 10 * (calls.size() - 1));
        assertThat(calls.stream().mapToInt(ProfileScan.Pass::profiles).sum()).isEqualTo(total);

        ProfileScan.Pass again = scan(4, 100).pass("brand-a", "daily-rules#2026-03-01", p -> { });
        assertThat(again.complete()).isTrue();
        assertThat(again.profiles()).as("a finished pass run again starts over (an operator's re-run)").isEqualTo(BRAND_A);
        assertThat(scan(4, 100).pass("brand-a", "daily-rules#2026-03-02", p -> { }).profiles())
                .as("the next day's pass starts over").isEqualTo(BRAND_A);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
