package dev.siyu.core.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryGroupStore;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.faults.InstanceCrash;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A sync that dies between the customer's record and the member item (the instance crashed): WeCom's retry, or
 * the group's next callback, finds the same join again and records it once.
 */
class GroupSyncCrashTest {
    private static final ScrmConfig CONFIG = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = CONFIG.tenant();
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

    /** The group store of an instance that dies on its next member write. */
    static final class DyingGroups implements GroupStore {
        final MemoryGroupStore groups = new MemoryGroupStore();
        boolean dieOnAdd = true;
        /** true: the member is written, then the instance dies (its answer lost); false: it dies before. */
        final boolean afterTheWrite;

        DyingGroups(boolean afterTheWrite) {
            this.afterTheWrite = afterTheWrite;
        }

        @Override
        public void save(Group group) {
            groups.save(group);
        }

        @Override
        public Optional<Group> group(String tenant, String chatId) {
            return groups.group(tenant, chatId);
        }

        @Override
        public List<Group> groups(String tenant) {
            return groups.groups(tenant);
        }

        @Override
        public void addMember(String tenant, String chatId, Member member) {
            if (dieOnAdd) {
                dieOnAdd = false;
                if (afterTheWrite) {
                    groups.addMember(tenant, chatId, member);
                }
                throw new InstanceCrash("addMember");
            }
            groups.addMember(tenant, chatId, member);
        }

        @Override
        public void removeMember(String tenant, String chatId, String customerId, Instant at) {
            groups.removeMember(tenant, chatId, customerId, at);
        }

        @Override
        public List<Member> members(String tenant, String chatId) {
            return groups.members(tenant, chatId);
        }

        @Override
        public void setJoinWay(String tenant, String chatId, String configId, String qrCode) {
            groups.setJoinWay(tenant, chatId, configId, qrCode);
        }

        @Override
        public void setWelcomeTemplate(String tenant, String chatId, String templateId) {
            groups.setWelcomeTemplate(tenant, chatId, templateId);
        }
    }

    @Test
    void aJoinWhoseInstanceDiedBeforeTheMemberWriteIsRecordedOnceByTheRetry() {
        retried(new DyingGroups(false));
    }

    @Test
    void aJoinWhoseInstanceDiedAfterTheMemberWriteIsOnTheCustomersTimeline() {
        retried(new DyingGroups(true));
    }

    private void retried(DyingGroups groups) {
        RecordingWeComApi wecom = new RecordingWeComApi();
        MemoryCustomerStore customers = new MemoryCustomerStore();
        customers.save(new CustomerProfile(TENANT, "wx-wmAnn", "Ann", null, null, null, null, null, Set.of(),
                Map.of(), Map.of("external_userid", "wmAnn"), T0, T0), List.of());
        GroupSync sync = new GroupSync(CONFIG, groups, customers, new MemoryTenantLog(), wecom, new MemoryQueue(), new Ids());
        wecom.groupChats().create("wrPerks1", "Welcome Perks Group 1", "zhangsan");
        wecom.groupChats().join("wrPerks1", "wmAnn", 3);

        assertThatThrownBy(() -> sync.sync("wrPerks1", T0, log("cb|1"))).isInstanceOf(InstanceCrash.class);
        sync.sync("wrPerks1", T0.plusSeconds(5), log("cb|1"));

        assertThat(customers.timeline(TENANT, "wx-wmAnn")).extracting(TimelineEvent::kind).containsExactly("joined_group");
        assertThat(groups.members(TENANT, "wrPerks1")).extracting(GroupStore.Member::customerId)
                .containsExactly("wx-wmAnn");
        assertThat(groups.group(TENANT, "wrPerks1").orElseThrow().memberCount()).isEqualTo(1);
    }

    private static TimelineEvent log(String id) {
        return new TimelineEvent(id, T0, "group_add_member", null, Map.of("chat_id", "wrPerks1"));
    }
}
