package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.group.GroupHandover;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.core.port.WeComApi.Unassigned;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.staff.StaffDirectorySync;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryGroupStore;
import dev.siyu.memory.MemoryStaffLoadStore;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.MemoryTransferLedger;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.faults.InstanceCrash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The staff-directory job against the in-memory WeCom's directory, and the offboarding job picking up what it
 * marks: a member deleted from the directory and one disabled.
 */
class StaffDirectorySyncTest {
    private static final Instant NOW = Blueprint.at("2026-03-03T03:00");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryStaffLoadStore loads = new MemoryStaffLoadStore();
    private final MemoryTenantLog log = new MemoryTenantLog();
    private final MemoryGroupStore groups = new MemoryGroupStore();
    private final RecordingWeComApi wecom = new RecordingWeComApi();
    private final Ids ids = new Ids();
    /** A page of 2: the blueprint's six members are read over several pages, as a large corp's are. */
    private final StaffDirectorySync sync = new StaffDirectorySync(Blueprint.config(), wecom, loads, log, ids, 2);
    private final Offboarding offboarding = new Offboarding(Blueprint.config(), wecom, customers, customers, loads,
            new MemoryTransferLedger(), log, ids, new GroupHandover(Blueprint.config(), groups, wecom, log, ids));

    StaffDirectorySyncTest() {
        for (String staff : List.of("amy", "ben", "cai", "dan", "eve", "fay")) {
            wecom.directory().member(new Member(staff, staff, List.of(1L), Member.ACTIVE));
        }
        wecom.directory().member(new Member("admin", "Admin", List.of(1L), Member.ACTIVE));
        // live_team: cai is the least loaded, the successor offboarding would pick first
        loads.seedActive(TENANT, "live_team", "amy", 300);
        loads.seedActive(TENANT, "live_team", "ben", 40);
        loads.seedActive(TENANT, "live_team", "cai", 10);
    }

    private CustomerProfile customerOf(String staff, String id) {
        CustomerProfile p = Blueprint.customer(id, staff, NOW.minus(Duration.ofDays(100)));
        customers.put(p);
        customers.claimIdentity(TENANT, IdentityType.EXTERNAL_USERID, p.externalUserId(), p.customerId());
        return p;
    }

    @Test
    void everyoneInTheDirectoryMarksNoOne() {
        StaffDirectorySync.Summary s = sync.run(NOW);

        assertThat(s.skipped()).isEmpty();
        assertThat(s.staff()).isEqualTo(6);
        assertThat(s.members()).isEqualTo(7);
        assertThat(s.pages()).isEqualTo(4);
        assertThat(s.departed()).isEmpty();
        assertThat(loads.departed(TENANT)).isEmpty();
    }

    @Test
    void aMemberWhoLeftIsMarkedAndOffboardedAndADisabledOneIsNoOnesSuccessor() {
        // GIVEN Amy left (deleted from the directory; WeCom lists her customer as unassigned) and Cai was disabled,
        // owning a customer group
        CustomerProfile amys = customerOf("amy", "c1");
        wecom.directory().remove("amy");
        wecom.addUnassigned(new Unassigned("amy", amys.externalUserId(), NOW.getEpochSecond()));
        wecom.directory().member(new Member("cai", "cai", List.of(1L), Member.DISABLED));
        wecom.groupChats().create("wrCai", "Cai's VIP group", "cai");
        groups.save(new Group(TENANT, "wrCai", "Cai's VIP group", "vip", "cai", 12, "active", NOW.minus(Duration.ofDays(30))));

        // WHEN the staff-directory job runs
        StaffDirectorySync.Summary s = sync.run(NOW);

        // THEN both are marked for offboarding, with the reason, and the tenant's STAFF log says so once
        assertThat(s.departed()).containsEntry("amy", "not_in_directory").containsEntry("cai", "disabled").hasSize(2);
        assertThat(s.newlyMarked()).containsExactlyInAnyOrder("amy", "cai");
        assertThat(loads.departed(TENANT)).containsOnlyKeys("amy", "cai");
        assertThat(log.of(StaffDirectorySync.LOG_SUBJECT)).extracting(e -> e.kind() + ":" + e.staffUserId())
                .containsExactlyInAnyOrder("staff_departed:amy", "staff_departed:cai");
        assertThat(wecom.drain()).extracting(c -> c.api()).contains("department/list", "user/list_id", "user/get");
        // a second run marks nothing again
        assertThat(sync.run(NOW.plus(Duration.ofDays(1))).newlyMarked()).isEmpty();
        assertThat(log.of(StaffDirectorySync.LOG_SUBJECT)).hasSize(2);

        // WHEN offboarding runs
        Offboarding.Summary off = offboarding.run(NOW.plus(Duration.ofHours(1)));

        // THEN Amy's customer goes to Ben: Cai, least loaded but disabled, is no one's successor
        assertThat(off.assign().successors()).containsExactly(java.util.Map.entry("amy", "ben"));
        assertThat(wecom.transferCalls()).singleElement().satisfies(c -> {
            assertThat(c.takeover()).isEqualTo("ben");
            assertThat(c.externalUserIds()).containsExactly(amys.externalUserId());
        });
        // AND Cai's group, with no customer of hers on WeCom's unassigned list, is handed to Ben as well
        assertThat(off.groups().transferred()).isEqualTo(1);
        assertThat(groups.groups(TENANT)).singleElement().satisfies(g -> assertThat(g.owner()).isEqualTo("ben"));
        assertThat(wecom.groupChats().owner("wrCai")).isEqualTo("ben");
        // on the job's transfer: a disabled member is still in the directory, not resigned
        assertThat(wecom.drain()).extracting(c -> c.api()).contains("externalcontact/groupchat/onjob_transfer")
                .doesNotContain("externalcontact/groupchat/transfer");
    }

    @Test
    void anEntryLostToACrashAfterTheMarkIsWrittenByTheNextRunOnce() {
        // GIVEN Amy left, and the job's instance dies as it logs her departure, after marking her
        wecom.directory().remove("amy");
        TenantLog crashingOnce = new TenantLog() {
            private boolean crashed;

            @Override
            public void append(String tenant, String subject, TimelineEvent event) {
                if (!crashed) {
                    crashed = true;
                    throw new InstanceCrash("before logging " + event.kind());
                }
                log.append(tenant, subject, event);
            }

            @Override
            public void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
                log.recordGroup(tenant, chatId, status, memberDelta, event);
            }
        };
        StaffDirectorySync dying = new StaffDirectorySync(Blueprint.config(), wecom, loads, crashingOnce, ids, 2);
        assertThatThrownBy(() -> dying.run(NOW)).isInstanceOf(InstanceCrash.class);
        assertThat(loads.departed(TENANT)).containsOnlyKeys("amy");

        // WHEN the job runs again, and once more the next day
        sync.run(NOW.plus(Duration.ofMinutes(5)));
        sync.run(NOW.plus(Duration.ofDays(1)));

        // THEN the STAFF log tells of her departure once, at the time she was marked
        assertThat(log.of(StaffDirectorySync.LOG_SUBJECT)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("staff_departed");
            assertThat(e.staffUserId()).isEqualTo("amy");
            assertThat(e.at()).isEqualTo(NOW);
        });
    }

    @Test
    void aDisabledMemberEnabledAgainHasTheMarkLiftedAndKeepsTheirNewGroups() {
        // GIVEN Cai was disabled for a while: marked, her group handed to Ben
        wecom.directory().member(new Member("cai", "cai", List.of(1L), Member.DISABLED));
        sync.run(NOW);
        assertThat(loads.departed(TENANT)).containsOnlyKeys("cai");

        // WHEN an admin enables her account again and the job runs
        wecom.directory().member(new Member("cai", "cai", List.of(1L), Member.ACTIVE));
        StaffDirectorySync.Summary back = sync.run(NOW.plus(Duration.ofDays(1)));

        // THEN the mark is lifted and the STAFF log says she returned, once however often the job runs
        assertThat(back.returned()).containsExactly("cai");
        assertThat(back.departed()).isEmpty();
        assertThat(loads.departed(TENANT)).isEmpty();
        sync.run(NOW.plus(Duration.ofDays(2)));
        assertThat(log.of(StaffDirectorySync.LOG_SUBJECT)).extracting(e -> e.kind() + ":" + e.staffUserId())
                .containsExactly("staff_departed:cai", "staff_returned:cai");

        // AND a group she owns now stays hers when offboarding runs
        wecom.groupChats().create("wrCai2", "Cai's new group", "cai");
        groups.save(new Group(TENANT, "wrCai2", "Cai's new group", "vip", "cai", 8, "active", NOW.plus(Duration.ofDays(2))));
        Offboarding.Summary off = offboarding.run(NOW.plus(Duration.ofDays(2)));
        assertThat(off.groups().transferred()).isZero();
        assertThat(wecom.groupChats().owner("wrCai2")).isEqualTo("cai");
    }

    @Test
    void anEmptyListingMarksNoOne() {
        for (String staff : List.of("amy", "ben", "cai", "dan", "eve", "fay", "admin")) {
            wecom.directory().remove(staff);
        }

        StaffDirectorySync.Summary s = sync.run(NOW);

        assertThat(s.skipped()).contains("no members");
        assertThat(loads.departed(TENANT)).isEmpty();
    }
}
