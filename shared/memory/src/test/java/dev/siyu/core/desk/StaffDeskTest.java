package dev.siyu.core.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryDecisionCounts;
import dev.siyu.memory.MemoryDeskStore;
import dev.siyu.memory.MemoryOutreachCounters;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A desk task's life as the staff member sees it, against the in-memory stores: listed, sent once, refused when a
 * red line holds or it is someone else's, dismissed, expired by the sweep; each close with its timeline event and
 * its touch record settled (kept when sent, cancelled when it never reached the customer).
 */
class StaffDeskTest {
    static final String TENANT = "acme";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant T0 = Instant.parse("2024-03-05T02:00:00Z");
    static final String TOUCH = "new_customer_activation#c1#run-1#2";

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryOutreachCounters counters = new MemoryOutreachCounters();
    private final MemoryDeskStore store = new MemoryDeskStore();
    private final StaffDesk desk = desk(store, customers, counters);

    static ScrmConfig config() {
        return new ScrmConfig(TENANT, ZONE, List.of(new StaffMember("zhangsan", "Zhang San", List.of("east"), 50),
                new StaffMember("lisi", "Li Si", List.of("east"), 50)), List.of(), List.of(),
                new TagSystem(List.of()), List.of(), List.of(), Guardrails.DEFAULTS);
    }

    static StaffDesk desk(DeskStore store, CustomerStore customers, OutreachCounters counters) {
        Ids ids = new Ids();
        Outreach outreach = new Outreach(new OutreachGate(Guardrails.DEFAULTS, ZONE), Guardrails.DEFAULTS, counters,
                new MemoryDecisionCounts(), ZONE, ids);
        return new StaffDesk(config(), store, customers, outreach, ids);
    }

    /** A customer of Zhang San's who granted consent, and the task a journey step left on his desk with its record. */
    static DeskTask given(DeskStore store, CustomerStore customers, OutreachCounters counters, String customerId,
                          String touchId) {
        CustomerProfile p = new CustomerProfile(TENANT, customerId, "Wang Fang", null, "parcel_card_east", null, null,
                null, Set.of(), Map.of("zhangsan", StaffRelationship.started("zhangsan", "s", T0.minusSeconds(86_400),
                false)), Map.of(), T0, T0);
        customers.upsert(TENANT, customerId, p, c -> c.withActivity(c.activity().consentGranted(T0.minusSeconds(3_600)),
                T0), List.of());
        counters.record(TENANT, new TouchRecord(customerId, touchId, T0, Channel.PRIVATE_MESSAGE, ContentClass.VALUE,
                true, 1, ""), ZONE);
        return store.create(TENANT, DeskTask.open(customerId, "wm-" + customerId, "zhangsan", DeskTask.MESSAGE,
                "Welcome guide", "Hi Wang Fang, here is your guide", List.of(new WeComApi.Attachment("link",
                        "Guide", "https://brand.example/guide")), touchId, T0, T0.plus(Duration.ofDays(2))));
    }

    static List<String> kinds(CustomerStore customers, String customerId) {
        return customers.timeline(TENANT, customerId).stream().map(TimelineEvent::kind).toList();
    }

    static TouchRecord record(OutreachCounters counters, String customerId, String touchId) {
        return counters.touches(TENANT, customerId).stream().filter(r -> r.id().equals(touchId)).findFirst()
                .orElseThrow();
    }

    @Test
    void theAdvisorSeesTheTaskSendsItOnce_theTimelineAndTheTouchRecordSaySo() {
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        assertThat(desk.open(TENANT, "zhangsan", null, T0.plusSeconds(60))).containsExactly(task);
        assertThat(desk.open(TENANT, "zhangsan", "c1", T0.plusSeconds(60))).containsExactly(task);
        assertThat(desk.open(TENANT, "zhangsan", "c2", T0.plusSeconds(60))).isEmpty();
        assertThat(desk.open(TENANT, "lisi", null, T0.plusSeconds(60))).isEmpty();

        DeskTask sent = desk.markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(600));
        DeskTask again = desk.markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(700));

        assertThat(sent.status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(sent.closedAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(again).isEqualTo(sent);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.SENT);
        TimelineEvent event = customers.timeline(TENANT, "c1").stream()
                .filter(e -> e.kind().equals(StaffDesk.SENT)).findFirst().orElseThrow();
        assertThat(event.details()).containsEntry("touch", TOUCH).containsEntry("task", task.id());
        assertThat(event.staffUserId()).isEqualTo("zhangsan");
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENT);
        assertThat(record(counters, "c1", TOUCH).outcome()).isEqualTo("desk:" + task.id());
        assertThat(desk.open(TENANT, "zhangsan", null, T0.plusSeconds(800))).isEmpty();
    }

    @Test
    void aTaskSentBeforeItsStepCommittedLeavesTheStepsIntentToTheStep() {
        // GIVEN the step made the task, then failed to commit: its intent is still SENDING
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        counters.record(TENANT, record(counters, "c1", TOUCH).intent(), ZONE);
        // WHEN the advisor sends it before the step's redelivery
        desk.markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(60));
        // THEN the redelivery still finds its intent to settle with its own event (the timeline says it was made)
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.SENDING);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.SENT);
    }

    @Test
    void aDismissalThatDiedBeforeItsEventIsRepairedByTheNextClick() {
        // GIVEN a dismissal whose close was written and whose instance died before the timeline event
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        store.close(TENANT, "zhangsan", task.id(), DeskTask.Status.DISMISSED, T0.plusSeconds(60));
        // WHEN the staff member clicks again (the sidebar showed the error)
        assertThatThrownBy(() -> desk.markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(90)))
                .isInstanceOf(DeskRefused.class);
        // THEN the dismissal's event and cancelled record are there, once
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.DISMISSED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.CANCELLED);
    }

    @Test
    void anotherStaffMemberCannotMarkItSent() {
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        assertThatThrownBy(() -> desk.markSent(TENANT, "lisi", task.id(), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.NOT_FOUND));
        assertThat(desk.open(TENANT, "zhangsan", null, T0.plusSeconds(60))).containsExactly(task);
    }

    @Test
    void aCustomerWhoDeletedTheAdvisorOrWithdrewConsentIsNotSentIt() {
        DeskTask deleted = given(store, customers, counters, "c1", TOUCH);
        customers.update(TENANT, "c1", c -> c.withRelationship(c.relationships().get("zhangsan")
                .ended(T0.plusSeconds(30), StaffRelationship.EndedBy.CUSTOMER), T0.plusSeconds(30)), List.of());
        assertThatThrownBy(() -> desk.markSent(TENANT, "zhangsan", deleted.id(), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> {
                    assertThat(r.why()).isEqualTo(DeskRefused.Why.RED_LINE);
                    assertThat(r.getMessage()).contains("the customer deleted zhangsan");
                });

        DeskTask withdrawn = given(store, customers, counters, "c2", "j#c2#r#1");
        customers.update(TENANT, "c2", c -> c.withActivity(c.activity().consentWithdrawn(T0.plusSeconds(30)),
                T0.plusSeconds(30)), List.of());
        assertThatThrownBy(() -> desk.markSent(TENANT, "zhangsan", withdrawn.id(), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.getMessage()).contains("withdrew consent"));
        assertThat(kinds(customers, "c1")).doesNotContain(StaffDesk.SENT);
        assertThat(kinds(customers, "c2")).doesNotContain(StaffDesk.SENT);
    }

    @Test
    void anUnsentTaskExpires_itsSlotIsFreedAndItCanNoLongerBeSent() {
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        Instant later = task.expiresAt().plusSeconds(3_600);
        assertThat(desk.open(TENANT, "zhangsan", null, later)).as("past its time before the sweep").isEmpty();

        assertThat(desk.expire(TENANT, later)).isEqualTo(1);
        assertThat(desk.expire(TENANT, later)).as("closed once").isZero();

        assertThat(store.task(TENANT, "zhangsan", task.id()).orElseThrow().status())
                .isEqualTo(DeskTask.Status.EXPIRED);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.EXPIRED);
        assertThat(record(counters, "c1", TOUCH).status()).as("the weekly journey cap no longer counts it")
                .isEqualTo(TouchRecord.Status.CANCELLED);
        assertThatThrownBy(() -> desk.markSent(TENANT, "zhangsan", task.id(), later))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.CLOSED));
    }

    @Test
    void aTaskPastItsTimeIsRefusedEvenBeforeTheSweepClosedIt() {
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        assertThatThrownBy(() -> desk.markSent(TENANT, "zhangsan", task.id(), task.expiresAt()))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.getMessage()).contains("expired"));
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.EXPIRED);
    }

    @Test
    void aDismissedTaskIsClosedAndCannotBeSentAfterwards() {
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        DeskTask dismissed = desk.dismiss(TENANT, "zhangsan", task.id(), T0.plusSeconds(60));
        assertThat(dismissed.status()).isEqualTo(DeskTask.Status.DISMISSED);
        assertThat(desk.dismiss(TENANT, "zhangsan", task.id(), T0.plusSeconds(90))).isEqualTo(dismissed);
        assertThat(kinds(customers, "c1")).containsOnlyOnce(StaffDesk.DISMISSED);
        assertThat(record(counters, "c1", TOUCH).status()).isEqualTo(TouchRecord.Status.CANCELLED);
        assertThatThrownBy(() -> desk.markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(120)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.CLOSED));
    }

    @Test
    void aStepRedeliveredWritesTheSameTaskAgainAndKeepsTheFirst() {
        DeskTask task = given(store, customers, counters, "c1", TOUCH);
        desk.markSent(TENANT, "zhangsan", task.id(), T0.plusSeconds(60));
        DeskTask rewritten = store.create(TENANT, DeskTask.open("c1", "wm-c1", "zhangsan", DeskTask.MESSAGE, "x", "y",
                List.of(), TOUCH, T0, T0.plusSeconds(10)));
        assertThat(rewritten.status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(rewritten.id()).isEqualTo(DeskTask.idFor(TOUCH)).doesNotContain("#");
    }
}
