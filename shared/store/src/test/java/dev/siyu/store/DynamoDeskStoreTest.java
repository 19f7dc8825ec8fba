package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.desk.DeskRefused;
import dev.siyu.core.desk.DeskTask;
import dev.siyu.core.desk.StaffDesk;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.DecisionCounts;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The staff desk's task lifecycle on DynamoDB Local: the same conditional writes the memory store models. */
class DynamoDeskStoreTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    /** The table outlives each test: every test is its own tenant. */
    private static final java.util.concurrent.atomic.AtomicInteger TENANTS = new java.util.concurrent.atomic.AtomicInteger();
    private final String tenant = "acme-desk-" + TENANTS.incrementAndGet();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant T0 = Instant.parse("2024-03-05T02:00:00Z");

    private DynamoDeskStore store;
    private DynamoCustomerStore customers;
    private DynamoOutreachCounters counters;
    private StaffDesk desk;

    @BeforeEach
    void stores() {
        CapacityMeter meter = new CapacityMeter();
        store = new DynamoDeskStore(aws.dynamo(), LocalAws.TABLE, meter);
        customers = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, meter);
        counters = new DynamoOutreachCounters(aws.dynamo(), LocalAws.TABLE, meter);
        ScrmConfig config = new ScrmConfig(tenant, ZONE, List.of(new StaffMember("zhangsan", "Zhang San",
                List.of("east"), 50)), List.of(), List.of(), new TagSystem(List.of()), List.of(), List.of(),
                Guardrails.DEFAULTS);
        Ids ids = new Ids();
        DecisionCounts none = new DynamoDecisionCounts(aws.dynamo(), LocalAws.TABLE, meter);
        desk = new StaffDesk(config, store, customers, new Outreach(new OutreachGate(Guardrails.DEFAULTS, ZONE),
                Guardrails.DEFAULTS, counters, none, ZONE, ids), ids);
    }

    private DeskTask given(String customerId, String touchId) {
        CustomerProfile p = new CustomerProfile(tenant, customerId, "Wang Fang", null, "parcel_card_east", null, null,
                null, Set.of(), Map.of("zhangsan", StaffRelationship.started("zhangsan", "s", T0.minusSeconds(86_400),
                false)), Map.of(), T0, T0);
        customers.upsert(tenant, customerId, p, c -> c.withActivity(c.activity().consentGranted(T0.minusSeconds(3_600)),
                T0), List.of());
        counters.record(tenant, new TouchRecord(customerId, touchId, T0, Channel.PRIVATE_MESSAGE, ContentClass.VALUE,
                true, 1, ""), ZONE);
        return store.create(tenant, DeskTask.open(customerId, "wm-" + customerId, "zhangsan", DeskTask.MESSAGE,
                "Welcome guide", "Hi Wang Fang, here is your guide", List.of(new WeComApi.Attachment("miniprogram",
                        "Guide", "pages/guide/index", "media/guide-card.png")), touchId, T0,
                T0.plus(Duration.ofDays(2))));
    }

    private List<String> kinds(String customerId) {
        return customers.timeline(tenant, customerId).stream().map(TimelineEvent::kind).toList();
    }

    private TouchRecord record(String customerId, String touchId) {
        return counters.touches(tenant, customerId).stream().filter(r -> r.id().equals(touchId)).findFirst()
                .orElseThrow();
    }

    @Test
    void aTaskIsStoredAsWrittenAndARedeliveredStepKeepsTheFirst() {
        DeskTask task = given("c1", "j#c1#r#1");
        assertThat(store.task(tenant, "zhangsan", task.id())).contains(task);
        assertThat(store.create(tenant, DeskTask.open("c1", "wm-c1", "zhangsan", DeskTask.MESSAGE, "other", "other",
                List.of(), "j#c1#r#1", T0.plusSeconds(5), T0.plusSeconds(10)))).isEqualTo(task);
        assertThat(store.open(tenant, "zhangsan")).containsExactly(task);
        assertThat(store.open(tenant, "lisi")).isEmpty();
        assertThat(store.task(tenant, "lisi", task.id())).isEmpty();
    }

    @Test
    void sentOnce_aSecondClickAndTheSweepChangeNothing() {
        DeskTask task = given("c1", "j#c1#r#1");
        DeskTask sent = desk.markSent(tenant, "zhangsan", task.id(), T0.plusSeconds(600));
        assertThat(desk.markSent(tenant, "zhangsan", task.id(), T0.plusSeconds(700))).isEqualTo(sent);
        assertThat(desk.expire(tenant, T0.plus(Duration.ofDays(3)))).isZero();

        assertThat(store.task(tenant, "zhangsan", task.id()).orElseThrow().status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(kinds("c1")).containsOnlyOnce(StaffDesk.SENT).doesNotContain(StaffDesk.EXPIRED);
        assertThat(record("c1", "j#c1#r#1").outcome()).isEqualTo("desk:" + task.id());
        assertThat(store.open(tenant, "zhangsan")).isEmpty();
    }

    @Test
    void expiredAndDismissedTasksFreeTheirSlotAndRefuseASend() {
        DeskTask expiring = given("c1", "j#c1#r#1");
        DeskTask dismissed = given("c2", "j#c2#r#1");
        desk.dismiss(tenant, "zhangsan", dismissed.id(), T0.plusSeconds(60));
        assertThat(desk.expire(tenant, T0.plus(Duration.ofDays(3)))).isEqualTo(1);

        assertThat(kinds("c1")).containsOnlyOnce(StaffDesk.EXPIRED);
        assertThat(kinds("c2")).containsOnlyOnce(StaffDesk.DISMISSED);
        assertThat(record("c1", "j#c1#r#1").status()).isEqualTo(TouchRecord.Status.CANCELLED);
        assertThat(record("c2", "j#c2#r#1").status()).isEqualTo(TouchRecord.Status.CANCELLED);
        for (DeskTask t : List.of(expiring, dismissed)) {
            assertThatThrownBy(() -> desk.markSent(tenant, "zhangsan", t.id(), T0.plus(Duration.ofDays(3))))
                    .isInstanceOfSatisfying(DeskRefused.class,
                            r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.CLOSED));
        }
    }

    @Test
    void theStoreClosesATaskOnlyOnTheRightSideOfItsExpiry() {
        DeskTask task = given("c1", "j#c1#r#1");
        assertThat(store.close(tenant, "zhangsan", task.id(), DeskTask.Status.SENT, task.expiresAt()).orElseThrow()
                .status()).as("sent at the expiry is too late").isEqualTo(DeskTask.Status.OPEN);
        assertThat(store.close(tenant, "zhangsan", task.id(), DeskTask.Status.EXPIRED,
                task.expiresAt().minusMillis(1)).orElseThrow().status()).as("expired before it is too early")
                .isEqualTo(DeskTask.Status.OPEN);
        // a click a second before the expiry wins over the sweep that comes after it
        assertThat(store.close(tenant, "zhangsan", task.id(), DeskTask.Status.SENT,
                task.expiresAt().minusSeconds(1)).orElseThrow().status()).isEqualTo(DeskTask.Status.SENT);
        assertThat(desk.expire(tenant, task.expiresAt().plusSeconds(5))).isZero();
        assertThat(kinds("c1")).containsOnlyOnce(StaffDesk.SENT).doesNotContain(StaffDesk.EXPIRED);
        assertThat(record("c1", "j#c1#r#1").status()).isEqualTo(TouchRecord.Status.SENT);
    }

    @Test
    void aClaimedTaskIsSentPastItsExpiryAndTheSweepWaitsForTheClaim() {
        DeskTask task = given("c1", "j#c1#r#1");
        Instant claimAt = task.expiresAt().minusSeconds(30);
        DeskTask claimed = desk.claim(tenant, "zhangsan", task.id(), claimAt);
        assertThat(store.task(tenant, "zhangsan", task.id()).orElseThrow().claimedUntil())
                .isEqualTo(claimAt.plus(StaffDesk.CLAIM)).isEqualTo(claimed.claimedUntil());
        // a sweep that read the task before the claim cannot expire it: the stored claim moves the deadline
        assertThat(store.close(tenant, "zhangsan", task.id(), DeskTask.Status.EXPIRED, task.expiresAt()).orElseThrow()
                .status()).isEqualTo(DeskTask.Status.OPEN);
        assertThat(desk.expire(tenant, task.expiresAt().plusSeconds(60))).isZero();

        assertThat(desk.markSent(tenant, "zhangsan", task.id(), task.expiresAt().plusSeconds(90)).status())
                .isEqualTo(DeskTask.Status.SENT);
        assertThat(kinds("c1")).containsOnlyOnce(StaffDesk.SENT).doesNotContain(StaffDesk.EXPIRED);
    }

    @Test
    void aCloseWhoseFollowUpsACrashCutShortIsFollowedUpByTheNextSweep() {
        DeskTask task = given("c1", "j#c1#r#1");
        // the dismissal's close landed and the instance died before its follow-ups
        store.close(tenant, "zhangsan", task.id(), DeskTask.Status.DISMISSED, T0.plusSeconds(60));
        assertThat(store.unfollowed(tenant, "zhangsan")).extracting(DeskTask::id).containsExactly(task.id());

        desk.expire(tenant, T0.plus(Duration.ofHours(1)));

        assertThat(kinds("c1")).containsOnlyOnce(StaffDesk.DISMISSED);
        assertThat(record("c1", "j#c1#r#1").status()).isEqualTo(TouchRecord.Status.CANCELLED);
        assertThat(store.unfollowed(tenant, "zhangsan")).isEmpty();
        assertThat(store.task(tenant, "zhangsan", task.id()).orElseThrow().status())
                .isEqualTo(DeskTask.Status.DISMISSED);
    }

    @Test
    void aCustomerWhoDeletedTheAdvisorIsNotSentIt() {
        DeskTask task = given("c1", "j#c1#r#1");
        customers.update(tenant, "c1", c -> c.withRelationship(c.relationships().get("zhangsan")
                .ended(T0.plusSeconds(30), StaffRelationship.EndedBy.CUSTOMER), T0.plusSeconds(30)), List.of());
        assertThatThrownBy(() -> desk.markSent(tenant, "zhangsan", task.id(), T0.plusSeconds(60)))
                .isInstanceOfSatisfying(DeskRefused.class, r -> assertThat(r.why()).isEqualTo(DeskRefused.Why.RED_LINE));
        assertThat(store.task(tenant, "zhangsan", task.id()).orElseThrow().status()).isEqualTo(DeskTask.Status.OPEN);
    }
}
