package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.GroupStore.Group;
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
import java.util.List;
import org.junit.jupiter.api.Test;

class CommunityCareTest {
    private static final Instant NOW = Blueprint.at("2026-03-03T10:00");
    private static final Instant CREATED = Instant.parse("2025-10-01T02:00:00Z");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryGroupStore groups = new MemoryGroupStore();
    private final MemoryOutreachCounters counters = new MemoryOutreachCounters();
    private final MemoryDecisionCounts decisions = new MemoryDecisionCounts();
    /** WeCom's clock: the time its lists give tasks (the invites of these tests are all made at NOW). */
    private final RecordingWeComApi wecom = new RecordingWeComApi(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));

    /** The tenant's repairs, where an invite whose run died is noted for the next run. */
    private final dev.siyu.memory.MemoryTenantLog notes = new dev.siyu.memory.MemoryTenantLog();

    private CommunityCare care(int vipMax) {
        return care(vipMax, customers);
    }

    /** The real store, whose first timeline write fails (DynamoDB throttled it, or the instance died there). */
    private dev.siyu.core.port.CustomerStore firstAppendFails() {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(1);
        return (dev.siyu.core.port.CustomerStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {dev.siyu.core.port.CustomerStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("append") && left.getAndDecrement() > 0) {
                        throw new IllegalStateException("throttled (ProvisionedThroughputExceeded)");
                    }
                    try {
                        return m.invoke(customers, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private CommunityCare care(int vipMax, dev.siyu.core.port.CustomerStore store) {
        ScrmConfig config = Blueprint.config(Guardrails.DEFAULTS, vipMax);
        Ids ids = new Ids();
        Outreach outreach = new Outreach(new OutreachGate(config.guardrails(), Blueprint.ZONE), config.guardrails(),
                counters, decisions, Blueprint.ZONE, ids);
        return new CommunityCare(config, groups, store, customers, outreach, wecom,
                new CorpTags(wecom, config.tagSystem()), MapConditionCompiler.blueprint(), ids, notes);
    }

    private static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    /** A consenting customer of Amy's, added 100 days ago, who spent `spend` and last interacted `quiet` days ago. */
    private static CustomerProfile customer(String id, double spend, long quiet) {
        Activity a = Activity.NONE.consentGranted(daysAgo(100));
        if (spend > 0) {
            a = a.purchased(spend, "skincare", daysAgo(quiet));
        }
        a = a.interacted(daysAgo(quiet), true);
        return Blueprint.withActivity(Blueprint.customer(id, "amy", daysAgo(100)), a);
    }

    private void member(CustomerProfile p, String chatId, String type, long joinedDaysAgo) {
        groups.addMember(TENANT, chatId, p.customerId(), daysAgo(joinedDaysAgo));
        customers.put(p.withActivity(p.activity().joinedGroup(chatId, type), p.updatedAt()));
    }

    private List<MsgTemplate> invitesTo(String externalUserId) {
        return wecom.templates().stream().filter(t -> t.externalUserIds().contains(externalUserId)).toList();
    }

    // ---- pruning ----------------------------------------------------------------------------

    @Test
    void onlyMembersWithoutInteractionFor30DaysAreDowngraded_once() {
        // GIVEN a perks group with members active 5 days ago, quiet 40 days, new 10 days ago without a word,
        // joined 45 days ago without a word, and one who joined a second group 3 days ago
        groups.save(new Group(TENANT, "wr-perks", "Perks", Blueprint.PERKS, "amy", 0, "active", CREATED, "jw-wr-perks", "https://wework.qpic.cn/wwpic/joinway/wr-perks", null));
        groups.save(new Group(TENANT, "wr-fans", "Fans", Blueprint.FANS, "ben", 0, "active", CREATED, "jw-wr-fans", "https://wework.qpic.cn/wwpic/joinway/wr-fans", null));
        member(customer("active", 0, 5), "wr-perks", Blueprint.PERKS, 50);
        member(customer("quiet", 0, 40), "wr-perks", Blueprint.PERKS, 50);
        member(Blueprint.customer("newbie", "amy", daysAgo(10)), "wr-perks", Blueprint.PERKS, 10);
        member(Blueprint.customer("lurker", "amy", daysAgo(45)), "wr-perks", Blueprint.PERKS, 45);
        CustomerProfile rejoined = Blueprint.customer("rejoined", "amy", daysAgo(90));
        member(rejoined, "wr-perks", Blueprint.PERKS, 60);
        member(customers.get(TENANT, "rejoined"), "wr-fans", Blueprint.FANS, 3);
        // WHEN pruning runs
        CommunityCare.PruneSummary summary = care(100).prune(NOW);
        // THEN only the quiet member and the lurker are downgraded: tagged (also in WeCom), flagged, on the timeline
        assertThat(summary.members()).isEqualTo(5);
        assertThat(summary.downgraded()).isEqualTo(2);
        for (String id : List.of("quiet", "lurker")) {
            CustomerProfile p = customers.get(TENANT, id);
            assertThat(p.tags()).contains("group_inactive");
            assertThat(p.activity().flags()).contains("downgraded");
            assertThat(customers.events(TENANT, id, "member_downgraded")).singleElement()
                    .satisfies(e -> assertThat(e.details()).containsEntry("groups", "wr-perks")
                            .containsEntry("marked_in_wecom", "true"));
        }
        assertThat(customers.events(TENANT, "lurker", "member_downgraded").get(0).details())
                .containsEntry("days_inactive", "45");
        for (String id : List.of("active", "newbie", "rejoined")) {
            assertThat(customers.get(TENANT, id).tags()).doesNotContain("group_inactive");
            assertThat(customers.kinds(TENANT, id)).doesNotContain("member_downgraded");
        }
        assertThat(wecom.marks()).extracting(RecordingWeComApi.MarkTag::externalUserId)
                .containsExactlyInAnyOrder("ext-quiet", "ext-lurker");
        // WHEN it runs again the next day
        CommunityCare.PruneSummary again = care(100).prune(NOW.plus(Duration.ofDays(1)));
        // THEN nobody is downgraded twice
        assertThat(again.downgraded()).isZero();
        assertThat(again.alreadyDowngraded()).isEqualTo(2);
        assertThat(customers.events(TENANT, "quiet", "member_downgraded")).hasSize(1);
    }

    // ---- graduation -------------------------------------------------------------------------

    @Test
    void customersWhoMeetTheVipConditionAreInvitedWhileTheGroupHasRoom_highestSpendFirst() {
        // GIVEN VIP groups of at most 3 members: one with a free seat, one full
        // (wr-vip1's second member joins below)
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 1, "active", CREATED, "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        groups.save(new Group(TENANT, "wr-vip2", "VIP #2", Blueprint.VIP, "cai", 0, "active", CREATED, "jw-wr-vip2", "https://wework.qpic.cn/wwpic/joinway/wr-vip2", null));
        for (String m : List.of("v1", "v2", "v3")) {
            member(customer(m, 3000, 2), "wr-vip2", Blueprint.VIP, 30);
        }
        customers.put(customer("big", 5000, 2));
        customers.put(customer("mid", 1500, 2));
        customers.put(Blueprint.withTags(customer("tagged", 0, 2), "VIP"));
        customers.put(customer("small", 500, 2));
        customers.put(customer("quiet-rich", 8000, 40));
        member(customer("member", 3000, 2), "wr-vip1", Blueprint.VIP, 20);
        // WHEN the invites run
        CommunityCare.InviteSummary first = care(3).inviteUp(NOW);
        // THEN the biggest spender gets the one seat, through Amy, with the group's link
        assertThat(first.candidates()).isEqualTo(3);
        assertThat(first.invited()).isEqualTo(1);
        assertThat(first.vipFull()).isEqualTo(2);
        assertThat(invitesTo("ext-big")).singleElement().satisfies(t -> {
            assertThat(t.chatType()).isEqualTo("single");
            assertThat(t.sender()).isEqualTo("amy");
            assertThat(t.text()).contains("VIP Member Group");
            assertThat(t.attachment().kind()).isEqualTo("link");
            assertThat(t.attachment().url()).endsWith("wr-vip1");
        });
        assertThat(customers.events(TENANT, "big", "group_invite_sent")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("chat_id", "wr-vip1"));
        // and nobody outside the condition, already in, or inactive is asked
        assertThat(invitesTo("ext-small")).isEmpty();
        assertThat(invitesTo("ext-member")).isEmpty();
        assertThat(invitesTo("ext-quiet-rich")).isEmpty();

        // WHEN the next day the invitee has not joined yet
        wecom.forgetMarksAndTemplates();
        CommunityCare.InviteSummary second = care(3).inviteUp(NOW.plus(Duration.ofDays(1)));
        // THEN their pending invite still holds the seat: no one else is invited, and they are not asked twice
        assertThat(second.stillPending()).isEqualTo(1);
        assertThat(second.invited()).isZero();
        assertThat(second.vipFull()).isEqualTo(2);
        assertThat(wecom.templates()).isEmpty();

        // WHEN two members leave the full group
        for (String m : List.of("v1", "v2")) {
            groups.removeMember(TENANT, "wr-vip2", m, NOW.plus(Duration.ofDays(1)));
            CustomerProfile p = customers.get(TENANT, m);
            customers.put(p.withActivity(p.activity().leftGroup("wr-vip2"), NOW.plus(Duration.ofDays(1))));
        }
        CommunityCare.InviteSummary third = care(3).inviteUp(NOW.plus(Duration.ofDays(2)));
        // THEN the next two are invited there, and the group stays within max_members with the pending invites;
        // the two who left are not invited back into it
        assertThat(third.invited()).isEqualTo(2);
        assertThat(invitesTo("ext-v1")).isEmpty();
        assertThat(invitesTo("ext-v2")).isEmpty();
        assertThat(invitesTo("ext-mid")).singleElement().satisfies(t -> assertThat(t.attachment().url()).endsWith("wr-vip2"));
        assertThat(invitesTo("ext-tagged")).singleElement().satisfies(t -> assertThat(t.attachment().url()).endsWith("wr-vip2"));
    }

    @Test
    void anInviteWhoseAnswerWasLostIsNotSentAgainByARetriedRun() {
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 0, "active", CREATED, "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        customers.put(customer("big", 5000, 2));
        // GIVEN WeCom creates the invite but its answer is lost (-1: WeCom may have acted)
        wecom.loseTemplateAnswers(1);
        care(100).inviteUp(NOW);
        // WHEN the job is run again that day (its invocation retried)
        care(100).inviteUp(NOW.plus(Duration.ofHours(1)));
        // THEN the customer got one invite: the retry found it in WeCom's list, and it is on the timeline once
        assertThat(invitesTo("ext-big")).hasSize(1);
        assertThat(customers.events(TENANT, "big", CommunityCare.INVITE_SENT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("chat_id", "wr-vip1"));
    }

    @Test
    void anInviteWhoseRecordWasNeverWrittenIsRecordedByTheNextRunNotSentAgain() {
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 0, "active", CREATED, "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        customers.put(customer("big", 5000, 2));
        // GIVEN WeCom took the invite but the run died before writing its event (the timeline write fails)
        org.assertj.core.api.Assertions.catchThrowable(() -> care(100, firstAppendFails()).inviteUp(NOW));
        assertThat(customers.events(TENANT, "big", CommunityCare.INVITE_SENT)).isEmpty();
        // WHEN the job runs the next day
        care(100).inviteUp(NOW.plus(Duration.ofDays(1)));
        // THEN WeCom's list says the invite went out: it is recorded, and the customer is not invited again
        assertThat(invitesTo("ext-big")).hasSize(1);
        assertThat(customers.events(TENANT, "big", CommunityCare.INVITE_SENT)).hasSize(1);
    }

    @Test
    void anInviteWeComRefusedIsSentByARetriedRun() {
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 0, "active", CREATED, "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        customers.put(customer("big", 5000, 2));
        wecom.failTemplates(1);
        care(100).inviteUp(NOW);
        care(100).inviteUp(NOW.plus(Duration.ofHours(1)));
        assertThat(invitesTo("ext-big")).hasSize(1);
    }

    @Test
    void anInviteTheGateRefusesIsOnTheTimelineAndNotAskedAgainEveryDay() {
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 10, "active", CREATED, "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        // GIVEN a big spender who never gave marketing consent
        Activity noConsent = Activity.NONE.purchased(3000, "skincare", daysAgo(3)).interacted(daysAgo(3), true);
        customers.put(Blueprint.withActivity(Blueprint.customer("shy", "amy", daysAgo(100)), noConsent));
        // WHEN invites run on two days
        CommunityCare.InviteSummary first = care(100).inviteUp(NOW);
        CommunityCare.InviteSummary second = care(100).inviteUp(NOW.plus(Duration.ofDays(1)));
        // THEN no invite went out, the drop is recorded with its reason once, and counted
        assertThat(wecom.templates()).isEmpty();
        assertThat(first.notAllowed()).isEqualTo(1);
        assertThat(second.recentlyAsked()).isEqualTo(1);
        assertThat(customers.events(TENANT, "shy", Outreach.DROPPED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("rule", "CONSENT")
                        .containsEntry("group_type", Blueprint.VIP));
        assertThat(decisions.counts(TENANT, NOW.atZone(Blueprint.ZONE).toLocalDate(),
                NOW.plus(Duration.ofDays(1)).atZone(Blueprint.ZONE).toLocalDate())).containsEntry("DROP:CONSENT", 1L);
    }

    @Test
    void aCustomerIsNeverInvitedBackIntoAGroupTheyLeft() {
        groups.save(new Group(TENANT, "wr-vip1", "VIP #1", Blueprint.VIP, "cai", 1, "active", CREATED, "jw-wr-vip1", "https://wework.qpic.cn/wwpic/joinway/wr-vip1", null));
        CustomerProfile left = customer("left", 4000, 2);
        left = left.withActivity(left.activity().joinedGroup("wr-vip1", Blueprint.VIP).leftGroup("wr-vip1"), left.updatedAt());
        customers.put(left);
        CommunityCare.InviteSummary s = care(100).inviteUp(NOW);
        assertThat(s.candidates()).isEqualTo(1);
        assertThat(s.vipFull()).isEqualTo(1);
        assertThat(wecom.templates()).isEmpty();
    }
}
