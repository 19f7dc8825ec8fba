package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.Community;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.schedule.PerkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 16: the perk check asks a 30-day question, so it reads 30 days of timeline as one sort-key
 * range, not a loyal customer's whole history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerkWindowReadTest {
    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    @RegisterExtension
    static final LocalAws aws = new LocalAws();

    @Test
    void aCustomerWithTwoYearsOfHistoryCostsOnlyTheLastMonthsEventsToCheck() {
        CapacityMeter setup = new CapacityMeter();
        DynamoCustomerStore store = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, setup);
        CustomerProfile p = new CustomerProfile("acme", "c-loyal", "Loyal", null, "store_sh_01", null, null, null, Set.of(),
                Map.of(), Map.of(IdentityType.EXTERNAL_USERID.key(), "wm-loyal"), NOW.minus(Duration.ofDays(730)),
                NOW.minus(Duration.ofDays(730)));
        List<TimelineEvent> history = new ArrayList<>();
        for (int day = 730; day > 30; day--) {
            history.add(new TimelineEvent("ev-old-" + day, NOW.minus(Duration.ofDays(day)), "message_received", null,
                    Map.of("text", "a message of some length to make the history weigh what a real one does")));
        }
        for (int i = 0; i < 2; i++) {
            history.add(new TimelineEvent("ev-perk-" + i, NOW.minus(Duration.ofDays(3 + i)), PerkPolicy.PERK_CLAIMED, null,
                    Map.of()));
        }
        store.save(p, List.of());
        for (int from = 0; from < history.size(); from += 20) {
            store.append("acme", "c-loyal", history.subList(from, Math.min(history.size(), from + 20)));
        }
        CapacityMeter meter = new CapacityMeter();
        PerkPolicy policy = new PerkPolicy(Community.DEFAULTS, new DynamoGroupStore(aws.dynamo(), LocalAws.TABLE, meter),
                new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, meter));

        PerkPolicy.PerkDecision d = policy.decide(store.profile("acme", "c-loyal").orElseThrow(), NOW);

        System.out.printf("perk check of a customer with %d timeline events: %.1f RCU in %d requests%n", history.size(),
                meter.reads(), meter.requests());
        assertThat(d.allowed()).as("2 of 3 perks in 30 days").isTrue();
        // the whole history is about 700 events of ~150 bytes: ~13 RCU eventually consistent; the window is one page
        assertThat(meter.reads()).isLessThanOrEqualTo(2.0);
    }
}
