package dev.siyu.sidebar;

import static dev.siyu.sidebar.SidebarWorld.CUSTOMER;
import static dev.siyu.sidebar.SidebarWorld.EXAMPLE;
import static dev.siyu.sidebar.SidebarWorld.STAFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.sidebar.StaffSidebar;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.faults.InstanceCrash;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A "customer replied" click whose first attempt died after its writes (the instance crashed as it handed the
 * reply to the journeys), retried by the page with the same request id once the claim's lease ran out.
 */
class SidebarMarkRetryTest {
    private final SidebarWorld world = new SidebarWorld();

    @Test
    void aRetriedMarkWhoseFirstAttemptDiedIsOneReplyStartingOneJourneyRun() {
        JourneyQueue dyingOnce = new JourneyQueue() {
            private boolean died;

            @Override
            public void enqueue(JourneyTrigger trigger) {
                world.triggers.enqueue(trigger);
                if (!died) {
                    died = true;
                    throw new InstanceCrash("after handing the reply on");
                }
            }
        };
        StaffSidebar sidebar = new StaffSidebar(EXAMPLE, world.engine.ports().customers(), dyingOnce,
                new CorpTags(world.wecom, EXAMPLE.tagSystem()), world.wecom, world.clock, new Ids());
        assertThatThrownBy(() -> sidebar.mark(STAFF, CUSTOMER, StaffSidebar.Mark.REPLIED, "click-1"))
                .isInstanceOf(InstanceCrash.class);

        world.clock.advance(Duration.ofMinutes(1));
        sidebar.mark(STAFF, CUSTOMER, StaffSidebar.Mark.REPLIED, "click-1");

        // one reply on the timeline, at the click's first attempt
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("reply")).singleElement()
                .satisfies(e -> assertThat(e.at()).isEqualTo(SidebarWorld.T0));
        assertThat(world.profile().activity().firstReplyAt()).isEqualTo(SidebarWorld.T0);
        // the trigger handed on again is the same one (its time names the journey run): one run, not two
        assertThat(world.triggers.sent()).map(MemoryQueue.Sent::trigger)
                .filteredOn(t -> t != null && t.kind().equals("reply"))
                .extracting(JourneyQueue.JourneyTrigger::at).containsOnly(SidebarWorld.T0);
    }
}
