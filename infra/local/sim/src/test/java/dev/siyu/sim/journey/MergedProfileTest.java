package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileMerge;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.CallLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A customer first seen through WeCom who turns out, by unionid, to be another customer already: after the
 * merge one profile is live. The absorbed profile's pending steps send nothing and end its runs; the
 * survivor's journeys go on.
 */
class MergedProfileTest {
    static final String JOURNEY = "new_customer_activation";

    @Test
    void aPendingStepOfTheAbsorbedProfileSendsNothing_theSurvivorsJourneyGoesOn() {
        // GIVEN a WeCom-first customer and a Mini Program member, both in the activation journey (2024-03-04 is a Monday)
        JourneyHarness h = new JourneyHarness(Instant.parse("2024-03-04T02:00:00Z"));
        h.group("wrPerks01", "Welcome Perks Group", "lisi");
        h.added("wx-a");
        h.runUntil(h.local(2024, 3, 4, 10, 1));
        h.clock.set(h.local(2024, 3, 4, 10, 5));
        h.added("mp-1");
        h.runUntil(h.local(2024, 3, 4, 10, 6));
        assertThat(sentFor(h, "wx-a")).as("each got the welcome").hasSize(1);
        assertThat(sentFor(h, "mp-1")).hasSize(1);

        // WHEN the unionid shows they are one person: wx-a is merged into the member
        h.clock.set(h.local(2024, 3, 4, 10, 10));
        boolean merged = merge(h).absorb(h.tenant, "wx-a", "mp-1",
                JourneyHarness.externalId("wx-a"), "oU1", null, null, h.now());
        h.runUntil(h.local(2024, 3, 5, 12, 0));

        // THEN wx-a's 30-minute guide ran and sent nothing: its run ended as merged
        assertThat(merged).isTrue();
        assertThat(sentFor(h, "wx-a")).as("nothing after the merge").hasSize(1);
        JourneyRun absorbed = h.onlyRun("wx-a", JOURNEY);
        assertThat(absorbed.status()).isEqualTo(JourneyRun.Status.EXITED);
        assertThat(absorbed.endReason()).isEqualTo("merged into mp-1");
        // AND the member's journey went on: the guide at 10:35 and the perks-group invite the next day
        assertThat(sentFor(h, "mp-1")).hasSize(3);
        assertThat(h.onlyRun("mp-1", JOURNEY).status()).isEqualTo(JourneyRun.Status.ACTIVE);
        // AND the member holds the contact's relationship and WeCom identity; wx-a points at the member
        CustomerProfile member = h.profile("mp-1");
        assertThat(member.externalUserId()).isEqualTo(JourneyHarness.externalId("wx-a"));
        assertThat(h.profile("wx-a").mergedInto()).contains("mp-1");
        // AND a later trigger for wx-a starts nothing, and the jobs' scans see the member alone
        assertThat(h.engine.starter.onEvent(new JourneyTrigger(h.tenant, "wx-a", "contact_added", h.now(),
                Map.of("staff", JourneyHarness.STAFF)))).isEmpty();
        List<String> scanned = new ArrayList<>();
        h.customers.forEach(h.tenant, p -> scanned.add(p.customerId()));
        assertThat(scanned).containsExactly("mp-1");
        // AND merging again (a retried repair) changes nothing
        assertThat(merge(h).absorb(h.tenant, "wx-a", "mp-1",
                JourneyHarness.externalId("wx-a"), "oU1", null, null, h.now())).isFalse();
    }

    /** The one merge, with an audit log of its own and the harness's starter taking the survivor's triggers. */
    private static ProfileMerge merge(JourneyHarness h) {
        return new ProfileMerge(h.customers, new MemoryTenantLog(), h.engine.starter::onEvent);
    }

    /**
     * The customer-facing touches made by the customer's own journey runs (their touch ids name the customer):
     * add_msg_template tasks and desk messages, whoever's profile the desk task names now.
     */
    private static List<JourneyHarness.Touched> sentFor(JourneyHarness h, String customerId) {
        List<JourneyHarness.Touched> all = new ArrayList<>(h.touchesFor("wx-a"));
        all.addAll(h.touchesFor("mp-1"));
        return all.stream().distinct()
                .filter(c -> c.touchId() != null && c.touchId().startsWith(JOURNEY + "#" + customerId + "#"))
                .toList();
    }
}
