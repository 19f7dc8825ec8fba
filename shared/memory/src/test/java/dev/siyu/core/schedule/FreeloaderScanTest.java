package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryGroupStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FreeloaderScanTest {
    private static final Instant NOW = Blueprint.at("2026-03-03T02:00");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final FreeloaderScan scan = new FreeloaderScan(Blueprint.config(), customers, customers, new Ids());

    private void customer(String id, int perks, boolean bought) {
        Activity a = Activity.NONE;
        for (int i = 0; i < perks; i++) {
            a = a.claimedPerk();
        }
        if (bought) {
            a = a.purchased(99, "skincare", NOW.minus(Duration.ofDays(3)));
        }
        customers.put(Blueprint.withActivity(Blueprint.customer(id, "amy", NOW.minus(Duration.ofDays(20))), a));
    }

    @Test
    void threeClaimsWithoutAnyPurchaseFlagTheCustomerOnce() {
        // GIVEN three perks and no purchase, three perks and a purchase, two perks and no purchase
        customer("freeloader", 3, false);
        customer("buyer", 3, true);
        customer("browser", 2, false);
        // WHEN the scan runs twice
        FreeloaderScan.Summary first = scan.run(NOW);
        FreeloaderScan.Summary second = scan.run(NOW.plus(Duration.ofDays(1)));
        // THEN only the freeloader is flagged, with one timeline event, and perks stop for them
        assertThat(first.flagged()).isEqualTo(1);
        assertThat(second.flagged()).isZero();
        assertThat(second.alreadyFlagged()).isEqualTo(1);
        CustomerProfile p = customers.get(TENANT, "freeloader");
        assertThat(p.activity().flags()).containsExactly("abnormal_claims");
        assertThat(customers.events(TENANT, "freeloader", "flagged_abnormal_claims")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("perks_claimed", "3"));
        assertThat(customers.get(TENANT, "buyer").activity().flags()).isEmpty();
        assertThat(customers.get(TENANT, "browser").activity().flags()).isEmpty();
        assertThat(new PerkPolicy(Blueprint.COMMUNITY, new MemoryGroupStore(), customers).decide(p, NOW).verdict())
                .isEqualTo(PerkPolicy.Verdict.FLAGGED);
    }
}
