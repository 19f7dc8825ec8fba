package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A table from before the profiles index: its profiles are invisible to the daily jobs until backfilled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfilesIndexBackfillTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    @RegisterExtension
    static final LocalAws aws = new LocalAws();

    private static CustomerProfile profile(String id) {
        return new CustomerProfile("brand-old", id, "Name", null, "store_sh_01", null, null, null, Set.of(), Map.of(),
                Map.of(IdentityType.EXTERNAL_USERID.key(), "wm" + id), T0, T0);
    }

    @Test
    void profilesSavedBeforeTheIndexAreEnteredOnceAndThenSeenByTheJobs() {
        List<Map<String, AttributeValue>> old = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // as the store wrote them before issue 10: no index attributes
            Map<String, AttributeValue> item = new HashMap<>(ProfileItems.profileItem(profile("c-" + i)));
            item.remove(SiyuTable.SCAN_PK);
            item.remove(SiyuTable.SCAN_SK);
            old.add(item);
            old.add(ProfileItems.eventItem("brand-old", "c-" + i, new TimelineEvent("ev-" + i, T0, "contact_added", null,
                    Map.of())));
        }
        new BatchWriter(aws.dynamo(), LocalAws.TABLE, new CapacityMeter()).putAll(old);
        new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter()).save(profile("c-new"), List.of());
        DynamoProfileScan scan = new DynamoProfileScan(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        List<String> seen = new ArrayList<>();
        scan.forEach("brand-old", p -> seen.add(p.customerId()));
        assertThat(seen).as("before the backfill only the profile saved since").containsExactly("c-new");

        ProfilesIndexBackfill backfill = new ProfilesIndexBackfill(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
        assertThat(backfill.run()).isEqualTo(40);
        assertThat(backfill.run()).as("a second run finds nothing to do").isZero();

        seen.clear();
        scan.forEach("brand-old", p -> seen.add(p.customerId()));
        assertThat(seen).hasSize(41).contains("c-0", "c-39", "c-new");
    }
}
