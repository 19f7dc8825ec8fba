package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryDecisionCounts;
import dev.siyu.memory.MemoryGroupStore;
import dev.siyu.memory.MemoryOutreachCounters;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 16: the VIP invitations read the profiles as a resumable pass; an invocation that runs out
 * of time invites the candidates it found and the retry goes on with the rest, nobody asked twice.
 */
class CommunityPassTest {
    private static final Instant NOW = Blueprint.at("2026-03-03T10:00");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryGroupStore groups = new MemoryGroupStore();
    private final RecordingWeComApi wecom = new RecordingWeComApi();

    private CommunityCare care(ProfileScan scan) {
        ScrmConfig config = Blueprint.config(Guardrails.DEFAULTS, 100);
        Ids ids = new Ids();
        Outreach outreach = new Outreach(new OutreachGate(config.guardrails(), Blueprint.ZONE), config.guardrails(),
                new MemoryOutreachCounters(), new MemoryDecisionCounts(), Blueprint.ZONE, ids);
        return new CommunityCare(config, groups, customers, scan, outreach, wecom, new CorpTags(wecom, config.tagSystem()),
                MapConditionCompiler.blueprint(), ids, new dev.siyu.memory.MemoryTenantLog());
    }

    private static CustomerProfile bigSpender(String id) {
        Activity a = Activity.NONE.consentGranted(NOW.minus(Duration.ofDays(100)))
                .purchased(3000, "skincare", NOW.minus(Duration.ofDays(2))).interacted(NOW.minus(Duration.ofDays(2)), true);
        return Blueprint.withActivity(Blueprint.customer(id, "amy", NOW.minus(Duration.ofDays(100))), a);
    }

    @Test
    void invitationsCutShortByTheDeadlineAreContinuedByTheRetry() {
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 0, "active", NOW.minus(Duration.ofDays(30)), "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        for (int i = 0; i < 5; i++) {
            customers.put(bigSpender("c" + i));
        }
        BudgetedScan scan = new BudgetedScan(customers, 2);
        CommunityCare care = care(scan);

        assertThatThrownBy(() -> care.inviteUp(NOW)).isInstanceOf(ProfileScan.Incomplete.class)
                .hasMessageContaining("community#2026-03-03");
        assertThat(wecom.templates()).as("the candidates found in time were invited").hasSize(2);
        assertThatThrownBy(() -> care.inviteUp(NOW.plusSeconds(60))).isInstanceOf(ProfileScan.Incomplete.class);
        CommunityCare.InviteSummary last = care.inviteUp(NOW.plusSeconds(180));

        assertThat(last.invited()).isEqualTo(1);
        assertThat(wecom.templates()).flatExtracting(MsgTemplate::externalUserIds)
                .containsExactlyInAnyOrder("ext-c0", "ext-c1", "ext-c2", "ext-c3", "ext-c4");
    }
}
