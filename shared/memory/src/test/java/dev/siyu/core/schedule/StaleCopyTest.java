package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.StaffRelationship.EndedBy;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A job reads its copy of a customer minutes before it writes; whatever a callback wrote in between stays
 * (issue 10, item 3). The scan below hands each job the copy it read and then lets the callback write,
 * exactly the interleaving that used to lose the callback's change.
 */
class StaleCopyTest {
    private static final Instant SCAN = Blueprint.at("2026-03-02T02:00");
    private static final Instant DELETE = Blueprint.at("2026-03-02T02:03");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final RecordingWeComApi wecom = new RecordingWeComApi();

    /** The store's profiles as a scan reads them, with a write by someone else after each read. */
    private ProfileScan readThen(Consumer<CustomerProfile> meanwhile) {
        return (tenant, action) -> {
            List<CustomerProfile> read = new java.util.ArrayList<>();
            customers.forEach(tenant, read::add);
            for (CustomerProfile copy : read) {
                meanwhile.accept(copy);
                action.accept(copy);
            }
        };
    }

    private void customerDeletes(CustomerProfile copy) {
        customers.update(TENANT, copy.customerId(), latest -> latest.withRelationship(
                        latest.relationships().get("amy").ended(DELETE, EndedBy.CUSTOMER), DELETE),
                List.of(new TimelineEvent("ev-del", DELETE, "relationship_ended", "amy", Map.of())));
    }

    @Test
    void aDeleteAt0203IsNotUndoneByTheDailyRulesSaveOfThe0200Copy() {
        // GIVEN a buyer of 60 days' standing, friends with Amy; the daily rules read them at 02:00
        Activity bought = Activity.NONE.purchased(2500, "skincare", SCAN.minus(Duration.ofDays(2)))
                .interacted(SCAN.minus(Duration.ofDays(2)), true);
        customers.put(Blueprint.withActivity(Blueprint.customer("c1", "amy", SCAN.minus(Duration.ofDays(60))), bought));
        DailyRules rules = new DailyRules(Blueprint.config(), readThen(this::customerDeletes), customers, wecom,
                new CorpTags(wecom, Blueprint.config().tagSystem()), MapConditionCompiler.blueprint(),
                new RecordingConditionTriggers(), ChurnScorer.KEEP_STORED, new Ids());
        // WHEN the customer deletes Amy at 02:03, before the rules write what they decided from the 02:00 copy
        rules.run(SCAN);
        // THEN the friendship stays ended, and the rules' tags landed too
        CustomerProfile after = customers.get(TENANT, "c1");
        assertThat(after.relationships().get("amy").status()).isEqualTo(StaffRelationship.Status.ENDED);
        assertThat(after.relationships().get("amy").endedAt()).isEqualTo(DELETE);
        assertThat(after.activeStaff()).isEmpty();
        assertThat(after.tags()).contains("high_value_customer");
        assertThat(customers.kinds(TENANT, "c1")).contains("relationship_ended", "tags_changed");
    }

    @Test
    void aConsentWithdrawalSurvivesTheFreeloaderScansSaveOfAnOlderCopy() {
        // GIVEN a customer who claimed three perks and never bought, with marketing consent
        Activity claimed = Activity.NONE.consentGranted(SCAN.minus(Duration.ofDays(30)))
                .claimedPerk().claimedPerk().claimedPerk();
        customers.put(Blueprint.withActivity(Blueprint.customer("c1", "amy", SCAN.minus(Duration.ofDays(20))), claimed));
        FreeloaderScan scan = new FreeloaderScan(Blueprint.config(), readThen(copy -> customers.update(TENANT,
                copy.customerId(), latest -> latest.withActivity(latest.activity().consentWithdrawn(DELETE), DELETE),
                List.of())), customers, new Ids());
        // WHEN the customer withdraws consent between the scan's read and its write
        FreeloaderScan.Summary summary = scan.run(SCAN);
        // THEN both hold: consent withdrawn, and flagged
        CustomerProfile after = customers.get(TENANT, "c1");
        assertThat(after.activity().consentWithdrawnAt()).isEqualTo(DELETE);
        assertThat(after.activity().flags()).containsExactly("abnormal_claims");
        assertThat(summary.flagged()).isEqualTo(1);
    }

    @Test
    void communityCaresDowngradeKeepsARelationshipEndedSinceItsRead() {
        // GIVEN the 02:00 copy of a customer, and a delete at 02:03
        customers.put(Blueprint.customer("c1", "amy", SCAN.minus(Duration.ofDays(60))));
        CustomerProfile copy = customers.get(TENANT, "c1");
        customerDeletes(copy);
        // WHEN a job writes what it decided from the old copy, as a whole-copy save
        // THEN the store refuses it, and an update of the same decision keeps the delete
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> customers.save(
                        copy.withTags(java.util.Set.of("downgraded"), java.util.Set.of(), SCAN), List.of()))
                .isInstanceOf(dev.siyu.core.profile.ProfileConflictException.class);
        customers.update(TENANT, "c1", latest -> latest.withTags(java.util.Set.of("downgraded"), java.util.Set.of(), SCAN),
                List.of());
        CustomerProfile after = customers.get(TENANT, "c1");
        assertThat(after.tags()).contains("downgraded");
        assertThat(after.activeStaff()).isEmpty();
    }
}
