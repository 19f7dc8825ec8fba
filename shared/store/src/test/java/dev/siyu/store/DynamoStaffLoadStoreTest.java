package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.channel.PoolLoad;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoStaffLoadStoreTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoStaffLoadStore store;

    @BeforeAll
    void startDynamoDb() {
        store = new DynamoStaffLoadStore(aws.dynamo(), LocalAws.TABLE, meter);
    }

    @Test
    void addsAreCountedPerStaffMemberAndPerDay() {
        store.recordAdd("acme", "store_staff_shanghai", "zhang.wei", DAY);
        store.recordAdd("acme", "store_staff_shanghai", "zhang.wei", DAY);
        store.recordAdd("acme", "store_staff_shanghai", "zhang.wei", DAY);
        store.recordAdd("acme", "store_staff_shanghai", "li.na", DAY.minusDays(1));

        PoolLoad today = store.load("acme", "store_staff_shanghai", DAY);
        assertThat(today.active("zhang.wei")).isEqualTo(3);
        assertThat(today.adds("zhang.wei")).isEqualTo(3);
        assertThat(today.active("li.na")).isEqualTo(1);
        assertThat(today.adds("li.na")).isZero();
        assertThat(today.rotation()).as("every add advances the rotation").isEqualTo(4);

        PoolLoad tomorrow = store.load("acme", "store_staff_shanghai", DAY.plusDays(1));
        assertThat(tomorrow.active("zhang.wei")).isEqualTo(3);
        assertThat(tomorrow.adds("zhang.wei")).isZero();

        assertThat(store.load("other", "store_staff_shanghai", DAY)).isEqualTo(PoolLoad.empty());
    }

    @Test
    void anAddOrRemovalRedoneByTheSameCallbackCountsOnce() {
        // GIVEN an add counted for one callback
        PoolLoad first = store.recordAdd("acme", "redo", "zhang.wei", DAY, "add_external_contact|zhang.wei|wm1||1");
        // WHEN the callback is redone (its answer failed, or its lease was taken over) and counts again
        PoolLoad again = store.recordAdd("acme", "redo", "zhang.wei", DAY, "add_external_contact|zhang.wei|wm1||1");
        store.recordAdd("acme", "redo", "zhang.wei", DAY, "add_external_contact|zhang.wei|wm2||2");
        // THEN the redo reads the pool as it is and changes nothing
        assertThat(first.active("zhang.wei")).isEqualTo(1);
        assertThat(again.active("zhang.wei")).isEqualTo(1);
        assertThat(again.adds("zhang.wei")).isEqualTo(1);
        assertThat(store.load("acme", "redo", DAY).active("zhang.wei")).isEqualTo(2);
        // AND a removal made twice by one delete callback takes one customer off
        store.recordRemoval("acme", "redo", "zhang.wei", "del_follow_user|zhang.wei|wm1||9");
        store.recordRemoval("acme", "redo", "zhang.wei", "del_follow_user|zhang.wei|wm1||9");
        assertThat(store.load("acme", "redo", DAY).active("zhang.wei")).isEqualTo(1);
    }

    @Test
    void addAndRotateIsOneWriteAndReturnsThePoolAfterIt() {
        meter.reset();
        PoolLoad first = store.recordAdd("acme", "rr", "wang.fang", DAY);
        PoolLoad second = store.recordAdd("acme", "rr", "zhao.lei", DAY);

        assertThat(meter.requests()).isEqualTo(2);
        assertThat(first.rotation()).isEqualTo(1);
        assertThat(second.rotation()).isEqualTo(2);
        assertThat(second.activeCustomers()).isEqualTo(Map.of("wang.fang", 1L, "zhao.lei", 1L));
        assertThat(second.addsToday()).isEqualTo(Map.of("wang.fang", 1L, "zhao.lei", 1L));
        assertThat(store.load("acme", "rr", DAY)).isEqualTo(second);
    }

    @Test
    void userIdsThatAreNotValidExpressionNamesStillWork() {
        String odd = "李.娜-01 #x:y";
        store.recordAdd("acme", "odd", odd, DAY);
        store.recordRemoval("acme", "odd", odd);
        store.recordAdd("acme", "odd", odd, DAY);

        PoolLoad load = store.load("acme", "odd", DAY);
        assertThat(load.active(odd)).isEqualTo(1);
        assertThat(load.adds(odd)).isEqualTo(2);
    }

    @Test
    void removalsNeverGoBelowZero() {
        store.recordAdd("acme", "removals", "zhang.wei", DAY);
        store.recordRemoval("acme", "removals", "zhang.wei");
        store.recordRemoval("acme", "removals", "zhang.wei");
        store.recordRemoval("acme", "removals", "never.added");

        PoolLoad load = store.load("acme", "removals", DAY);
        assertThat(load.active("zhang.wei")).isZero();
        assertThat(load.activeCustomers()).doesNotContainKey("never.added");
    }

    @Test
    void twentyConcurrentRotationsYieldTwentyDistinctPositions() throws Exception {
        List<Long> positions = Concurrently.run(20, i -> store.advanceRotation("acme", "rotation_pool"));

        assertThat(positions).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void daysBeforeYesterdayArePrunedSoThePoolItemStaysSmall() {
        store.recordAdd("acme", "prune", "zhang.wei", DAY.minusDays(5));
        store.recordAdd("acme", "prune", "zhang.wei", DAY.minusDays(1));
        store.recordAdd("acme", "prune", "zhang.wei", DAY);

        Map<String, AttributeValue> item = aws.dynamo().getItem(b -> b.tableName(LocalAws.TABLE)
                .key(SiyuTable.poolKey("acme", "prune")).consistentRead(true)).item();
        assertThat(item.keySet()).contains("adds_20260228_zhang.wei", "adds_20260301_zhang.wei")
                .doesNotContain("adds_20260224_zhang.wei");
        assertThat(store.load("acme", "prune", DAY).active("zhang.wei")).isEqualTo(3);
    }

    @Test
    void aDepartedMarkIsKeptOnceWithItsFirstReason() {
        java.time.Instant first = java.time.Instant.parse("2026-03-01T03:00:00Z");
        store.markDeparted("marks", "wu.jiu", "disabled", first);
        store.markDeparted("marks", "wu.jiu", "not_in_directory", first.plusSeconds(86_400));
        store.markDeparted("marks", "zheng.shi", "left", first);

        assertThat(store.departed("marks")).containsOnlyKeys("wu.jiu", "zheng.shi");
        assertThat(store.departed("marks").get("wu.jiu"))
                .isEqualTo(new dev.siyu.core.port.StaffLoadStore.Departure("wu.jiu", "disabled", first));
        assertThat(store.departed("other")).isEmpty();

        // wu.jiu's account is enabled again: the mark goes, and a later departure is marked afresh
        store.liftDeparted("marks", "wu.jiu");
        store.liftDeparted("marks", "wu.jiu");
        assertThat(store.departed("marks")).containsOnlyKeys("zheng.shi");
        store.markDeparted("marks", "wu.jiu", "left", first.plusSeconds(2 * 86_400));
        assertThat(store.departed("marks").get("wu.jiu"))
                .isEqualTo(new dev.siyu.core.port.StaffLoadStore.Departure("wu.jiu", "left", first.plusSeconds(2 * 86_400)));
    }
}
