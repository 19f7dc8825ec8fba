package dev.siyu.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.LostClaimAnswers;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The callback under retries, replays and failures (issue 10, items 2, 4, 7, 11, 14): the in-memory ports,
 * the example blueprint, and the processor as every function runs it.
 */
class CallbackFaultsTest {
    private static final ScrmConfig CONFIG = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = CONFIG.tenant();
    private static final String STATE = "parcel_card_east";
    private static final String POOL = "sales_team_east";
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingWeComApi wecom = new RecordingWeComApi();
    private final FlakyQueue triggers = new FlakyQueue();
    private final Ports ports = MemoryPorts.create(wecom).withQueues(new MemoryQueue(), triggers, new MemoryTimerStore());
    private final MemoryCustomerStore customers = (MemoryCustomerStore) ports.customers();
    private final Engine engine;
    private final CallbackProcessor callbacks;

    CallbackFaultsTest() {
        ports.channels().save(TENANT, new ChannelCode("Package Insert - East China Warehouse", RoutingType.AUTO_ASSIGN,
                STATE, "cfg-east", "https://qr", List.of("zhangsan"), POOL, null));
        engine = new Engine(ports, CONFIG, 1, null, clock, Engine.Settings.inline());
        callbacks = engine.callbacks();
    }

    private static WeComEvent.ContactAdded add(String ext, Instant at) {
        return new WeComEvent.ContactAdded("zhangsan", ext, STATE, "wc-" + at.getEpochSecond(), false, at);
    }

    private static WeComEvent.FollowUserDeleted delete(String ext, Instant at) {
        return new WeComEvent.FollowUserDeleted("zhangsan", ext, at);
    }

    private CustomerProfile customer(String ext) {
        return customers.get(TENANT, "wx-" + ext);
    }

    private long contactAddedTriggers() {
        return triggers.sent.stream().filter(t -> t.kind().equals("contact_added")).count();
    }

    private long active(String staff) {
        return ports.loads().load(TENANT, POOL, LocalDate.ofInstant(clock.instant(), CONFIG.timezone())).active(staff);
    }

    @Test
    void aRetriedAddArrivingAfterTheDeleteDoesNotReactivateTheFriendshipNorStartTheWelcomeAgain() {
        // GIVEN an add at 02:00 and the customer's delete at 02:03, both processed
        callbacks.process(add("wm1", T0));
        clock.set(T0.plusSeconds(180));
        callbacks.process(delete("wm1", T0.plusSeconds(180)));
        // WHEN WeCom's copy of the 02:00 add arrives again (its claim long expired, e.g. a replay after 3 days)
        clock.set(T0.plus(Duration.ofDays(4)));
        CallbackOutcome replay = callbacks.process(add("wm1", T0));
        // THEN the friendship stays ended, no second contact_added trigger, and the stale event is on the timeline
        assertThat(replay.duplicate()).isFalse();
        assertThat(customer("wm1").relationships().get("zhangsan").status()).isEqualTo(StaffRelationship.Status.ENDED);
        assertThat(contactAddedTriggers()).isEqualTo(1);
        assertThat(customers.kinds(TENANT, "wx-wm1")).filteredOn(k -> !k.equals("tag_added"))
                .containsExactly("contact_added", "relationship_ended", "callback_stale");
        TimelineEvent stale = customers.events(TENANT, "wx-wm1", "callback_stale").get(0);
        assertThat(stale.details()).containsEntry("event", "add").containsEntry("relationship_status", "ended");
    }

    @Test
    void aDeleteOlderThanTheRelationshipsStartEndsNothing() {
        // GIVEN the customer deleted at 02:01 and added again at 02:05, the add processed first
        callbacks.process(add("wm2", T0));
        clock.set(T0.plusSeconds(300));
        callbacks.process(delete("wm2", T0.plusSeconds(60)));
        callbacks.process(add("wm2", T0.plusSeconds(300)));
        // WHEN the 02:01 delete is delivered again after the 02:05 add
        clock.set(T0.plus(Duration.ofDays(4)));
        callbacks.process(delete("wm2", T0.plusSeconds(60)));
        // THEN the 02:05 friendship is still active, and the stale delete is recorded as such
        StaffRelationship r = customer("wm2").relationships().get("zhangsan");
        assertThat(r.status()).isEqualTo(StaffRelationship.Status.ACTIVE);
        assertThat(r.since()).isEqualTo(T0.plusSeconds(300));
        assertThat(customers.events(TENANT, "wx-wm2", "callback_stale")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("event", "delete"));
    }

    @Test
    void aRetryWhileTheFirstAttemptHoldsTheLeaseIsNotAnsweredAsProcessed_afterTheLeaseItIsTakenOver() {
        // GIVEN an attempt that claimed the callback and died before writing anything
        WeComEvent.ContactAdded e = add("wm3", T0);
        assertThat(customers.claimLease(TENANT, e.dedupKey(), "died", T0, T0.plus(CallbackProcessor.LEASE)))
                .isEqualTo(CustomerStore.Claim.WON);
        // WHEN WeCom retries 5 s later, and again after the lease ran out
        clock.set(T0.plusSeconds(5));
        CallbackOutcome during = callbacks.process(e);
        clock.set(T0.plus(CallbackProcessor.LEASE).plusSeconds(1));
        CallbackOutcome after = callbacks.process(e);
        clock.set(T0.plus(CallbackProcessor.LEASE).plusSeconds(20));
        CallbackOutcome later = callbacks.process(e);
        // THEN the first retry is told to come back, the second processes it, the third is a duplicate
        assertThat(during.inProgress()).isTrue();
        assertThat(after.duplicate()).isFalse();
        assertThat(later.duplicate()).isTrue();
        assertThat(later.inProgress()).isFalse();
        assertThat(customer("wm3").activeStaff()).containsExactly("zhangsan");
        assertThat(contactAddedTriggers()).isEqualTo(1);
    }

    @Test
    void aCallbackWhoseClaimWasRetriedAfterItTookEffectIsProcessed_notAnsweredAsInProgressToItself() {
        // GIVEN a store whose claim writes take effect and lose their answer, so each is sent again (the AWS SDK)
        Ports lossy = new Ports(LostClaimAnswers.over(customers), ports.snapshots(), ports.profiles(), ports.runs(),
                ports.counters(), ports.decisions(), ports.groups(), ports.channels(), ports.loads(), ports.transfers(),
                ports.tenantLog(), ports.timers(), ports.steps(), ports.triggers(), ports.configs(), ports.wecom(),
                ports.media(), ports.desk(), ports.subscriptions(), ports.miniProgram());
        CallbackProcessor lossyCallbacks = new Engine(lossy, CONFIG, 1, null, clock, Engine.Settings.inline()).callbacks();
        WeComEvent.ContactAdded e = add("wm7", T0);
        // WHEN the add is processed
        CallbackOutcome first = lossyCallbacks.process(e);
        // THEN it was processed once (not "in progress elsewhere" for the lease), and WeCom's retry is a duplicate
        assertThat(first.inProgress()).isFalse();
        assertThat(first.duplicate()).isFalse();
        assertThat(customer("wm7").activeStaff()).containsExactly("zhangsan");
        assertThat(contactAddedTriggers()).isEqualTo(1);
        clock.set(T0.plusSeconds(5));
        assertThat(callbacks.process(e).duplicate()).isTrue();
    }

    @Test
    void aFailedTriggerSendFailsTheCallback_theRetryHandsItOverAndCountsThePoolOnce() {
        // GIVEN a queue that refuses the next send
        triggers.failNext.set(1);
        WeComEvent.ContactAdded e = add("wm4", T0);
        // WHEN the callback runs, fails, and WeCom retries it
        assertThatThrownBy(() -> callbacks.process(e)).isInstanceOf(IllegalStateException.class);
        CallbackOutcome retry = callbacks.process(e);
        // THEN the profile was written before the hand-off was tried, the retry handed it over once,
        // and Zhang San's pool counts one customer, not two
        assertThat(retry.duplicate()).isFalse();
        assertThat(contactAddedTriggers()).isEqualTo(1);
        assertThat(customers.events(TENANT, "wx-wm4", "contact_added")).isNotEmpty();
        assertThat(active("zhangsan")).isEqualTo(1);
    }

    @Test
    void aRedoneAddAndDeleteLeaveOneEventEach_andTheWelcomeCarriesItsTouchId() {
        // GIVEN an add processed, then redone (its claim given back, a later attempt), as is its delete
        WeComEvent.ContactAdded e = add("wm6", T0);
        callbacks.process(e);
        customers.dropClaim(TENANT, e.dedupKey());
        clock.set(T0.plusSeconds(7));
        callbacks.process(e);
        WeComEvent.FollowUserDeleted d = delete("wm6", T0.plusSeconds(60));
        clock.set(T0.plusSeconds(60));
        callbacks.process(d);
        customers.dropClaim(TENANT, d.dedupKey());
        clock.set(T0.plusSeconds(70));
        callbacks.process(d);
        // THEN the timeline holds one contact_added and one relationship_ended
        assertThat(customers.events(TENANT, "wx-wm6", "contact_added")).hasSize(1);
        assertThat(customers.events(TENANT, "wx-wm6", "relationship_ended")).hasSize(1);
        // AND every welcome attempt carries the callback's touch id
        assertThat(wecom.drain()).filteredOn(c -> c.api().equals("externalcontact/send_welcome_msg")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.touchId()).isEqualTo("welcome#" + e.dedupKey().value()));
    }

    @Test
    void anAddWhoseCallbackFailedAfterItsProfileWriteIsOneContactAddedAfterWeComsRetry() {
        // GIVEN a callback that wrote the profile and then failed to hand the trigger over
        triggers.failNext.set(1);
        WeComEvent.ContactAdded e = add("wm5", T0);
        assertThatThrownBy(() -> callbacks.process(e)).isInstanceOf(IllegalStateException.class);
        // WHEN WeCom retries it 5 s later
        clock.set(T0.plusSeconds(5));
        callbacks.process(e);
        // THEN the timeline holds one contact_added, at WeCom's CreateTime: the pools and journeys count one add
        assertThat(customers.events(TENANT, "wx-wm5", "contact_added")).singleElement()
                .satisfies(ev -> assertThat(ev.at()).isEqualTo(T0));
    }

    @Test
    void twoJoinsOfOneGroupInTheSameSecondAreTwoEvents_aRetryOfOneIsNotLoggedTwice() {
        // GIVEN two customers joining the same group in the same second
        WeComEvent.ChatUpdated amy = new WeComEvent.ChatUpdated("wrGroup", "add_member", 3, 0, 1, List.of("wmA"), T0);
        WeComEvent.ChatUpdated bob = new WeComEvent.ChatUpdated("wrGroup", "add_member", 3, 0, 1, List.of("wmB"), T0);
        // WHEN both are processed and the first one's claim is given back and it is redone
        callbacks.process(amy);
        callbacks.process(bob);
        customers.dropClaim(TENANT, amy.dedupKey());
        callbacks.process(amy);
        // THEN both joins are logged, once each
        assertThat(amy.dedupKey()).isNotEqualTo(bob.dedupKey());
        assertThat(((MemoryTenantLog) ports.tenantLog()).of("GROUP#wrGroup", "group_add_member"))
                .extracting(ev -> ev.details().get("members")).containsExactlyInAnyOrder("wmA", "wmB");
    }

    /** A trigger queue that refuses the next failNext sends, then records them. */
    static final class FlakyQueue implements JourneyQueue {
        final AtomicInteger failNext = new AtomicInteger();
        final List<JourneyTrigger> sent = new ArrayList<>();

        @Override
        public synchronized void enqueue(JourneyTrigger trigger) {
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("SQS refused the send");
            }
            sent.add(trigger);
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
