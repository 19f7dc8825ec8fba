package dev.siyu.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.JobCatalog;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.schedule.Reconciler;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryStaffLoadStore;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reconcile job makes again what failed on WeCom's side during a callback (issue 10, items 13 and 14),
 * reading only the tenant's repairs.
 */
class ReconcilerTest {
    private static final ScrmConfig CONFIG = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = CONFIG.tenant();
    private static final String POOL = "sales_team_east";
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

    private final WeCom wecom = new WeCom(new RecordingWeComApi());
    private final FailingLoads loads = new FailingLoads();
    private final FailingTriggers triggers = new FailingTriggers();
    private final dev.siyu.memory.VirtualClock clock = new dev.siyu.memory.VirtualClock(T0);
    private final Ports ports;
    private final MemoryCustomerStore customers;
    private final Engine engine;

    ReconcilerTest() {
        Ports memory = MemoryPorts.create(wecom);
        ports = new Ports(memory.customers(), memory.snapshots(), memory.profiles(), memory.runs(), memory.counters(),
                memory.decisions(), memory.groups(), memory.channels(), loads, memory.transfers(), memory.tenantLog(),
                new MemoryTimerStore(), new MemoryQueue(), triggers, memory.configs(), wecom, memory.media(), memory.desk(),
                memory.subscriptions(), memory.miniProgram());
        customers = (MemoryCustomerStore) ports.customers();
        ports.channels().save(TENANT, new ChannelCode("Package Insert - East China Warehouse", RoutingType.AUTO_ASSIGN,
                "parcel_card_east", "cfg-east", "https://qr", List.of("zhangsan"), POOL, null));
        engine = new Engine(ports, CONFIG, 1, null, clock, Engine.Settings.inline());
    }

    private Reconciler.Summary reconcile() {
        return (Reconciler.Summary) JobCatalog.named(JobCatalog.RECONCILE).orElseThrow().factory().apply(engine).run();
    }

    private WeComEvent.ContactAdded add(String ext) {
        return new WeComEvent.ContactAdded("zhangsan", ext, "parcel_card_east", "wc-" + ext, false, T0);
    }

    /** A Mini Program member holding the unionid (its alias claimed), as the Mini Program stores them. */
    private String memberHolding(String customerId, String unionId) {
        customers.put(new CustomerProfile(TENANT, customerId, "Member", null, null, null, null, null,
                Set.of("mini_program"), Map.of(), Map.of(IdentityType.UNIONID.key(), unionId), T0, T0));
        customers.claimIdentity(TENANT, IdentityType.UNIONID, unionId, customerId);
        return unionId;
    }

    /** The contact added, WeCom's contact detail failing then (so it is recorded WeCom-first), naming unionId later. */
    private void addedWhileContactDetailFails(String externalUserId, String unionId) {
        wecom.contactFails.set(1);
        wecom.unionIds.put(externalUserId, unionId);
        engine.callbacks().process(add(externalUserId));
    }

    @Test
    void aContactFetchedWithoutUnionidIsMergedIntoTheMiniProgramMemberWhoHoldsIt() {
        // GIVEN a Mini Program member holding unionid oU1, and WeCom's contact detail failing at the add
        addedWhileContactDetailFails("wm1", memberHolding("mp-1", "oU1"));
        assertThat(customers.get(TENANT, "wx-wm1").activeStaff()).containsExactly("zhangsan");
        // WHEN the reconciler runs
        Reconciler.Summary summary = reconcile();
        // THEN the contact is the member: lookups by external_userid find them, with Zhang San and the channel tags
        assertThat(summary.merged()).isEqualTo(1);
        assertThat(customers.customerIdFor(TENANT, IdentityType.EXTERNAL_USERID, "wm1")).contains("mp-1");
        CustomerProfile merged = customers.get(TENANT, "mp-1");
        assertThat(merged.activeStaff()).containsExactly("zhangsan");
        assertThat(merged.tags()).contains("mini_program", "package_insert");
        assertThat(merged.externalUserId()).isEqualTo("wm1");
        assertThat(customers.kinds(TENANT, "wx-wm1")).contains("merged_into");
        assertThat(customers.get(TENANT, "wx-wm1").mergedInto()).as("one live profile").contains("mp-1");
        assertThat(reconcile().pending()).as("nothing left to repair").isZero();
    }

    @Test
    void aWeComFirstContactWhoseNextCallbackNamesAMembersUnionidIsMergedIntoTheMember() {
        // GIVEN a contact recorded WeCom-first (the contact detail failed at the add), and a member holding oU2
        addedWhileContactDetailFails("wm5", memberHolding("mp-2", "oU2"));
        // WHEN Zhang San edits the contact and this time WeCom's detail names the unionid
        engine.callbacks().process(new WeComEvent.ContactEdited("zhangsan", "wm5", T0.plusSeconds(60)));
        // THEN the contact is the member, and the WeCom-first profile is merged into them (its journeys stop)
        assertThat(customers.customerIdFor(TENANT, IdentityType.EXTERNAL_USERID, "wm5")).contains("mp-2");
        assertThat(customers.get(TENANT, "mp-2").activeStaff()).containsExactly("zhangsan");
        assertThat(customers.get(TENANT, "wx-wm5").mergedInto()).contains("mp-2");
        List<String> scanned = new java.util.ArrayList<>();
        ports.profiles().forEach(TENANT, p -> scanned.add(p.customerId()));
        assertThat(scanned).contains("mp-2").doesNotContain("wx-wm5");
    }

    @Test
    void tagsThatFailedToMarkInWeComAreMarkedOnTheNextRun() {
        // GIVEN the channel's tags failing to mark in WeCom at the add
        wecom.markFails.set(1);
        engine.callbacks().process(add("wm2"));
        assertThat(wecom.inner.marks()).isEmpty();
        // WHEN the reconciler runs
        reconcile();
        // THEN the tags are marked through Zhang San, once
        assertThat(wecom.inner.marks()).singleElement().satisfies(m -> {
            assertThat(m.staff()).isEqualTo("zhangsan");
            assertThat(m.externalUserId()).isEqualTo("wm2");
            assertThat(m.add()).hasSize(3);
        });
        reconcile();
        assertThat(wecom.inner.marks()).hasSize(1);
    }

    @Test
    void aPoolRemovalThatFailedIsMadeByTheReconcilerExactlyOnce() {
        // GIVEN a customer of Zhang San's who deletes him, and the pool count failing at that moment
        engine.callbacks().process(add("wm3"));
        loads.failRemovals.set(1);
        WeComEvent.FollowUserDeleted delete = new WeComEvent.FollowUserDeleted("zhangsan", "wm3", T0.plusSeconds(60));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.callbacks().process(delete))
                .isInstanceOf(IllegalStateException.class);
        assertThat(active()).isEqualTo(1);
        // WHEN the reconciler runs, twice, and then WeCom's retry of the delete arrives too
        reconcile();
        reconcile();
        assertThat(active()).as("made by the reconciler").isZero();
        engine.callbacks().process(delete);
        // THEN Zhang San has no active customer: decremented once, not twice
        assertThat(active()).isZero();
        assertThat(customers.get(TENANT, "wx-wm3").relationships().get("zhangsan").status())
                .isEqualTo(StaffRelationship.Status.ENDED);
    }

    private long active() {
        return loads.load(TENANT, POOL, LocalDate.ofInstant(T0, CONFIG.timezone())).active("zhangsan");
    }

    /** The in-memory WeCom, with unionids to name and calls to fail on demand. */
    static final class WeCom implements WeComApi {
        final RecordingWeComApi inner;
        final Map<String, String> unionIds = new HashMap<>();
        final AtomicInteger contactFails = new AtomicInteger();
        final AtomicInteger markFails = new AtomicInteger();

        WeCom(RecordingWeComApi inner) {
            this.inner = inner;
        }

        private static boolean take(AtomicInteger n) {
            return n.getAndUpdate(v -> Math.max(0, v - 1)) > 0;
        }

        @Override
        public ContactDetail contact(String externalUserId) {
            if (take(contactFails)) {
                throw new WeComApiException(-1, "system busy", null);
            }
            return new ContactDetail(externalUserId, externalUserId, "", unionIds.get(externalUserId), 1, 0);
        }

        @Override
        public ContactWay addContactWay(List<String> staff, String state, String remark) {
            return inner.addContactWay(staff, state, remark);
        }

        @Override
        public void updateContactWay(String configId, List<String> staff, String state) {
            inner.updateContactWay(configId, staff, state);
        }

        @Override
        public void sendWelcome(String welcomeCode, String text) {
            inner.sendWelcome(welcomeCode, text);
        }

        @Override
        public Map<String, Map<String, String>> corpTags() {
            return inner.corpTags();
        }

        @Override
        public String addCorpTag(String groupName, String tagName) {
            return inner.addCorpTag(groupName, tagName);
        }

        @Override
        public void markTag(String staff, String externalUserId, List<String> add, List<String> remove) {
            if (take(markFails)) {
                throw new WeComApiException(-1, "system busy", null);
            }
            inner.markTag(staff, externalUserId, add, remove);
        }

        @Override
        public String addMsgTemplate(MsgTemplate template) {
            return inner.addMsgTemplate(template);
        }

        @Override
        public void notifyStaff(List<String> staff, String text) {
            inner.notifyStaff(staff, text);
        }

        @Override
        public String addMomentTask(String text, List<String> senders, List<String> tagIds) {
            return inner.addMomentTask(text, senders, tagIds);
        }

        @Override
        public List<Unassigned> unassigned() {
            return inner.unassigned();
        }

        @Override
        public List<TransferOutcome> transferCustomers(String handover, String takeover, List<String> externals,
                                                       boolean resigned) {
            return inner.transferCustomers(handover, takeover, externals, resigned);
        }

        @Override
        public List<TransferStatus> transferResult(String handover, String takeover, boolean resigned) {
            return inner.transferResult(handover, takeover, resigned);
        }
    }

    /** The in-memory pool counters, with removals to fail on demand. */
    @Test
    void aTriggerTheQueueRefusedOnEveryRetryIsHandedOffByTheReconcilerOnce() {
        // GIVEN the journey queue refuses the trigger on the callback and on each of WeCom's three retries
        triggers.failSends.set(4);
        for (int attempt = 0; attempt < 4; attempt++) {
            org.assertj.core.api.Assertions.catchThrowable(() -> engine.callbacks().process(add("wm-lost")));
        }
        assertThat(triggers.inner.sent()).isEmpty();
        assertThat(customers.profile(TENANT, "wx-wm-lost")).isPresent();
        // WHEN the hourly reconcile runs: at once (a callback may still be on it), then a few minutes later
        Reconciler.Summary early = reconcile();
        clock.advance(java.time.Duration.ofMinutes(3));
        Reconciler.Summary later = reconcile();
        reconcile();
        // THEN the contact_added trigger is on the queue once, with the callback's own time (so the run it starts
        // is the one the callback would have started)
        assertThat(early.repaired()).isZero();
        assertThat(later.repaired()).isEqualTo(1);
        assertThat(triggers.inner.sent()).singleElement().satisfies(s -> {
            assertThat(s.trigger().kind()).isEqualTo("contact_added");
            assertThat(s.trigger().customerId()).isEqualTo("wx-wm-lost");
            assertThat(s.trigger().at()).isEqualTo(T0);
            assertThat(s.trigger().details()).containsEntry("staff", "zhangsan").containsEntry("state", "parcel_card_east");
        });
    }

    @Test
    void aTriggerWhoseCallbackNeverWroteItsAddIsDropped() {
        // GIVEN the note a callback left when it died after noting its trigger and before writing the add
        ports.tenantLog().needsRepair(TENANT, new TenantLog.Repair(Repairs.TRIGGER, "contact_added|k1", Map.of(
                "staff", "zhangsan", "state", "parcel_card_east", Repairs.TRIGGER_CUSTOMER, "wx-wm-never",
                Repairs.TRIGGER_KIND, "contact_added", Repairs.TRIGGER_AT, T0.toString(),
                Repairs.TRIGGER_EVENT_TIME, T0.toString()), T0, 0));
        // WHEN the reconcile runs later
        clock.advance(java.time.Duration.ofMinutes(3));
        reconcile();
        // THEN no trigger starts a journey for an add that is not on record, and the note is gone
        assertThat(triggers.inner.sent()).isEmpty();
        assertThat(ports.tenantLog().repairs(TENANT, 10)).noneMatch(r -> r.kind().equals(Repairs.TRIGGER));
    }

    /** The memory queue, refusing the first sends (SQS throttled, or the instance died there). */
    static final class FailingTriggers implements dev.siyu.core.port.JourneyQueue {
        final MemoryQueue inner = new MemoryQueue();
        final AtomicInteger failSends = new AtomicInteger();

        @Override
        public void enqueue(JourneyTrigger trigger) {
            if (failSends.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                throw new IllegalStateException("SQS: throttled");
            }
            inner.enqueue(trigger);
        }
    }

    static final class FailingLoads implements StaffLoadStore {
        final MemoryStaffLoadStore inner = new MemoryStaffLoadStore();
        final AtomicInteger failRemovals = new AtomicInteger();

        @Override
        public dev.siyu.core.channel.PoolLoad load(String tenant, String pool, LocalDate day) {
            return inner.load(tenant, pool, day);
        }

        @Override
        public dev.siyu.core.channel.PoolLoad recordAdd(String tenant, String pool, String staff, LocalDate day) {
            return inner.recordAdd(tenant, pool, staff, day);
        }

        @Override
        public dev.siyu.core.channel.PoolLoad recordAdd(String tenant, String pool, String staff, LocalDate day,
                                                        String operation) {
            return inner.recordAdd(tenant, pool, staff, day, operation);
        }

        @Override
        public void recordRemoval(String tenant, String pool, String staff) {
            inner.recordRemoval(tenant, pool, staff);
        }

        @Override
        public void recordRemoval(String tenant, String pool, String staff, String operation) {
            if (failRemovals.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                throw new IllegalStateException("DynamoDB throttled the pool update");
            }
            inner.recordRemoval(tenant, pool, staff, operation);
        }

        @Override
        public long advanceRotation(String tenant, String pool) {
            return inner.advanceRotation(tenant, pool);
        }
    }
}
