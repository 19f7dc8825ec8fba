package dev.siyu.core.desk;

import static dev.siyu.core.desk.StaffDeskTest.T0;
import static dev.siyu.core.desk.StaffDeskTest.TENANT;
import static dev.siyu.core.desk.StaffDeskTest.TOUCH;
import static dev.siyu.core.desk.StaffDeskTest.ZONE;
import static dev.siyu.core.desk.StaffDeskTest.desk;
import static dev.siyu.core.desk.StaffDeskTest.given;
import static dev.siyu.core.desk.StaffDeskTest.kinds;
import static dev.siyu.core.desk.StaffDeskTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryDeskStore;
import dev.siyu.memory.MemoryOutreachCounters;
import dev.siyu.memory.faults.InstanceCrash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The desk's closes under races and crashes, as the review reproduced them: a "sent" click racing the expiry sweep
 * ends one way only, and a close whose follow-ups a crash (or an uncommitted journey step) cut short is repaired by
 * the next hourly sweep without anyone clicking again.
 */
class DeskRaceAndCrashTest {
    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryOutreachCounters counters = new MemoryOutreachCounters();
    private final MemoryDeskStore inner = new MemoryDeskStore();
    private final StaffDesk[] desk = new StaffDesk[1];
    private boolean clickDuringSweep;
    private DeskTask.Status crashAfterClosing;
    private boolean crashBeforeClosing;
    private DeskTask task;

    /** The memory store, with the staff member's click landing inside the sweep and crashes around a close. */
    private final DeskStore store = new DeskStore() {
        public DeskTask create(String t, DeskTask d) {
            return inner.create(t, d);
        }

        public Optional<DeskTask> task(String t, String s, String id) {
            return inner.task(t, s, id);
        }

        public List<DeskTask> open(String t, String s) {
            List<DeskTask> l = inner.open(t, s);
            if (clickDuringSweep && !l.isEmpty()) {
                clickDuringSweep = false;
                // the click, checked a second before the expiry, lands while the sweep runs
                desk[0].markSent(TENANT, "zhangsan", task.id(), task.expiresAt().minusSeconds(1));
            }
            return l;
        }

        public Optional<DeskTask> close(String t, String s, String id, DeskTask.Status to, Instant at) {
            if (crashBeforeClosing && to == DeskTask.Status.EXPIRED) {
                crashBeforeClosing = false;
                throw new InstanceCrash("before the expiry's close");
            }
            Optional<DeskTask> closed = inner.close(t, s, id, to, at);
            if (to == crashAfterClosing) {
                crashAfterClosing = null;
                throw new InstanceCrash("after the close of " + to);
            }
            return closed;
        }

        public Optional<DeskTask> claim(String t, String s, String id, Instant at, Instant until) {
            return inner.claim(t, s, id, at, until);
        }

        public List<DeskTask> unfollowed(String t, String s) {
            return inner.unfollowed(t, s);
        }

        public void followedUp(String t, String s, String id) {
            inner.followedUp(t, s, id);
        }
    };

    private void givenATask() {
        desk[0] = desk(store, customers, counters);
        task = StaffDeskTest.given(inner, customers, counters, "c1", TOUCH);
    }

    private DeskTask stored() {
        return inner.task(TENANT, "zhangsan", task.id()).orElseThrow();
    }

    @Test
    void aSentClickRacingTheExpirySweepIsSentOnly() {
        givenATask();
        clickDuringSweep = true;
        desk[0].expire(TENANT, task.expiresAt().plusSeconds(5));
        desk[0].expire(TENANT, task.expiresAt().plus(Duration.ofHours(1)));

        assertThat(stored().status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.SENT).doesNotContain(StaffDesk.EXPIRED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENT);
    }

    @Test
    void aSentClickRacingASweepThatCrashedKeepsItsTouchRecordSent() {
        givenATask();
        clickDuringSweep = true;
        crashBeforeClosing = true;
        assertThatThrownBy(() -> desk[0].expire(TENANT, task.expiresAt().plusSeconds(5)))
                .isInstanceOf(InstanceCrash.class);
        desk[0].expire(TENANT, task.expiresAt().plus(Duration.ofHours(1)));

        assertThat(stored().status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.SENT).doesNotContain(StaffDesk.EXPIRED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENT);
    }

    @Test
    void aClickAfterTheExpiryCannotCloseTheTaskAsSentEvenWhenTheStoreIsAskedDirectly() {
        givenATask();
        assertThat(inner.close(TENANT, "zhangsan", task.id(), DeskTask.Status.SENT, task.expiresAt()).orElseThrow()
                .status()).isEqualTo(DeskTask.Status.OPEN);
        assertThat(inner.close(TENANT, "zhangsan", task.id(), DeskTask.Status.EXPIRED, task.expiresAt().minusSeconds(1))
                .orElseThrow().status()).isEqualTo(DeskTask.Status.OPEN);
    }

    @Test
    void aDismissalThatCrashedAfterItsCloseIsFollowedUpByTheNextSweep() {
        givenATask();
        crashAfterClosing = DeskTask.Status.DISMISSED;
        assertThatThrownBy(() -> desk[0].dismiss(TENANT, "zhangsan", task.id(), T0.plusSeconds(60)))
                .isInstanceOf(InstanceCrash.class);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENT);

        // nobody clicks again; the hourly sweep runs
        desk[0].expire(TENANT, T0.plus(Duration.ofHours(1)));

        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.DISMISSED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.CANCELLED);
        assertThat(inner.unfollowed(TENANT, "zhangsan")).isEmpty();
    }

    @Test
    void aSentClickThatCrashedAfterItsCloseGetsItsEventFromTheNextSweep() {
        givenATask();
        crashAfterClosing = DeskTask.Status.SENT;
        assertThatThrownBy(() -> desk[0].markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(60)))
                .isInstanceOf(InstanceCrash.class);
        assertThat(kinds(customers, "c1")).doesNotContain(StaffDesk.SENT);

        desk[0].expire(TENANT, T0.plus(Duration.ofHours(1)));

        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.SENT);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENT);
    }

    @Test
    void aDismissalBeforeItsJourneyStepCommittedIsNotLeftCountedAsSent() {
        // GIVEN the step wrote the task and its intent is still SENDING (not committed)
        givenATask();
        TouchRecord intent = record(counters, "c1", TOUCH).intent();
        counters.record(TENANT, intent, ZONE);
        // WHEN the advisor dismisses it, and only then the step commits its intent as SENT (it read the task before)
        desk[0].dismiss(TENANT, "zhangsan", task.id(), T0.plusSeconds(60));
        counters.record(TENANT, intent.settled(TouchRecord.Status.SENT, "desk:" + task.id()), ZONE);
        // THEN the next sweep settles the record from the task: the weekly cap does not count a dismissed task
        desk[0].expire(TENANT, T0.plus(Duration.ofHours(1)));
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.CANCELLED);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.DISMISSED);
    }

    @Test
    void aPromotionalTaskIsNotSentToACustomerWhoNeverGrantedConsent() {
        // GIVEN a promotional task for a customer who never decided on marketing consent
        desk[0] = desk(store, customers, counters);
        customers.upsert(TENANT, "c3", new dev.siyu.core.profile.CustomerProfile(TENANT, "c3", "Li Lei", null,
                "parcel_card_east", null, null, null, java.util.Set.of(), java.util.Map.of("zhangsan",
                dev.siyu.core.profile.StaffRelationship.started("zhangsan", "s", T0.minusSeconds(86_400), false)),
                java.util.Map.of(), T0, T0), c -> c, List.of());
        String touch = "spring_sale#c3#run-1#1";
        counters.record(TENANT, new TouchRecord("c3", touch, T0, dev.siyu.core.gate.Channel.PRIVATE_MESSAGE,
                dev.siyu.core.gate.ContentClass.PROMOTIONAL, true, 1, ""), ZONE);
        DeskTask promo = inner.create(TENANT, DeskTask.open("c3", "wm-c3", "zhangsan", DeskTask.MESSAGE, "Spring sale",
                "20% off this week", List.of(), touch, T0, T0.plus(Duration.ofDays(2))));
        // WHEN the advisor marks it sent THEN the desk refuses it for consent, as the gate would
        assertThatThrownBy(() -> desk[0].markSent(TENANT, "zhangsan", promo.id(), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> {
                    assertThat(r.why()).isEqualTo(DeskRefused.Why.RED_LINE);
                    assertThat(r.getMessage()).contains("consent");
                });
        assertThat(kinds(customers, "c3")).doesNotContain(StaffDesk.SENT);
    }

    @Test
    void aClaimChecksTheRedLinesBeforeTheMessageGoesOut() {
        givenATask();
        customers.update(TENANT, "c1", c -> c.withActivity(c.activity().consentWithdrawn(T0.plusSeconds(30)),
                T0.plusSeconds(30)), List.of());
        assertThatThrownBy(() -> desk[0].claim(TENANT, "zhangsan", task.id(), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.RED_LINE));
        assertThat(stored().claimedUntil()).isNull();
    }

    @Test
    void aTaskClaimedBeforeItsExpiryIsMarkedSentAfterIt_andTheSweepWaitsForTheClaim() {
        givenATask();
        Instant claimAt = task.expiresAt().minusSeconds(30);
        DeskTask claimed = desk[0].claim(TENANT, "zhangsan", task.id(), claimAt);
        assertThat(claimed.claimedUntil()).isEqualTo(claimAt.plus(StaffDesk.CLAIM));
        // the sweep runs while the staff member confirms WeCom's send dialog
        assertThat(desk[0].expire(TENANT, task.expiresAt().plusSeconds(60))).isZero();
        // the "sent" arrives after the expiry: the message went out, so it is recorded as sent
        DeskTask sent = desk[0].markSent(TENANT, "zhangsan", task.id(), task.expiresAt().plusSeconds(90));

        assertThat(sent.status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.SENT).doesNotContain(StaffDesk.EXPIRED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENT);
    }

    @Test
    void aClaimNeverFollowedBySentExpiresWhenItsHoldEnds() {
        givenATask();
        Instant claimAt = task.expiresAt().minusSeconds(30);
        desk[0].claim(TENANT, "zhangsan", task.id(), claimAt);
        assertThat(desk[0].expire(TENANT, claimAt.plus(StaffDesk.CLAIM))).isEqualTo(1);
        assertThat(stored().status()).isEqualTo(DeskTask.Status.EXPIRED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.CANCELLED);
        assertThatThrownBy(() -> desk[0].claim(TENANT, "zhangsan", task.id(), claimAt.plus(StaffDesk.CLAIM)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.CLOSED));
    }
}
