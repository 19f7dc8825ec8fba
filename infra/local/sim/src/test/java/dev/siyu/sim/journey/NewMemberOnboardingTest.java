package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * new_member_onboarding: joined_group when event.group_type == "Welcome Perks Group"; 0min welcome and
 * 30min @mention as group-message drafts for the group owner, 2h coupon, 24h best-of link, 72h activity.
 */
class NewMemberOnboardingTest {
    static final String JOURNEY = "new_member_onboarding";
    static final String TEMPLATE = "externalcontact/add_msg_template";
    static final String PERKS = "Welcome Perks Group";

    JourneyHarness h;

    @BeforeEach
    void setUp() {
        h = new JourneyHarness(Instant.parse("2024-03-01T02:00:00Z"));
        h.group("wrPerks01", PERKS, "lisi");
        h.group("wrVip01", "VIP Member Group", "wangwu");
        h.customer("c1", h.now());
        h.runUntil(h.local(2024, 3, 9, 10, 0)); // a Saturday
    }

    @Test
    void joiningTheWelcomePerksGroupRunsTheOnboardingSteps() {
        // WHEN the customer joins the perks group on Saturday 10:00
        h.members.joinGroup("c1", "wrPerks01", PERKS, h.now());
        h.runUntil(h.local(2024, 3, 13, 0, 0));

        // THEN the owner got two group drafts and the customer a coupon (add_msg_template tasks); the best-of link
        // and the activity invite wait on zhangsan's desk for him to send as his own messages
        List<CallLog.Call> calls = h.calls(TEMPLATE);
        assertThat(calls).extracting(c -> h.localOf(c.at()).toString(), c -> c.body().path("chat_type").asText(),
                c -> c.body().path("sender").asText()).containsExactly(
                tuple("2024-03-09T10:00", "group", "lisi"),
                tuple("2024-03-09T10:30", "group", "lisi"),
                tuple("2024-03-09T12:00", "single", "zhangsan"));
        assertThat(h.deskTasks("c1")).extracting(t -> h.localOf(t.createdAt()).toString(),
                dev.siyu.core.desk.DeskTask::staffUserId).containsExactly(
                tuple("2024-03-10T10:00", "zhangsan"),
                tuple("2024-03-12T10:00", "zhangsan"));
        for (CallLog.Call group : calls.subList(0, 2)) {
            assertThat(group.body().path("chat_id_list")).extracting(n -> n.asText()).containsExactly("wrPerks01");
            assertThat(group.body().path("external_userid")).isEmpty();
        }
        assertThat(calls.get(0).body().path("text").path("content").asText()).startsWith("Welcome to the group!");
        assertThat(calls.get(1).body().path("text").path("content").asText()).startsWith("Everyone, say hi");
        assertThat(calls.get(2).body().path("attachments").path(0).path("miniprogram").path("title").asText())
                .isEqualTo("new_member_20_off_99");
        assertThat(h.deskTasks("c1").get(0).attachments()).extracting(a -> a.url())
                .containsExactly("https://content.example.com/best-of");

        // AND the group drafts do not use up the member's weekly journey allowance: the 24h link goes on time
        assertThat(h.journeyEvents("c1", JOURNEY)).extracting(TimelineEvent::kind, e -> e.details().get("step"))
                .containsExactly(
                        tuple("journey_started", null),
                        tuple("group_message_drafted", "0"),
                        tuple("group_message_drafted", "1"),
                        tuple("coupon_issued", "2"),
                        tuple("desk_task_created", "3"),
                        tuple("desk_task_created", "4"),
                        tuple("journey_completed", null));
        assertThat(h.events("c1", "group_message_drafted")).allSatisfy(e -> assertThat(e.details())
                .containsEntry("group", "wrPerks01").containsEntry("channel", "group_message"));
        assertThat(h.events("c1", "outreach_deferred")).isEmpty();
        assertThat(h.onlyRun("c1", JOURNEY).status()).isEqualTo(JourneyRun.Status.COMPLETED);
    }

    @Test
    void joiningAnotherGroupTypeStartsNothing() {
        // WHEN the customer joins a VIP group
        h.members.joinGroup("c1", "wrVip01", "VIP Member Group", h.now());
        h.runUntil(h.local(2024, 3, 13, 0, 0));

        // THEN no onboarding run and no touch
        assertThat(h.runs.runs(h.tenant, "c1")).isEmpty();
        assertThat(h.calls()).isEmpty();
        assertThat(h.events("c1", "joined_group")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("group_type", "VIP Member Group"));
    }

    @Test
    void theOnboardingDraftsGoToTheGroupTheCustomerJustJoined() {
        // GIVEN 20 customers who are each already in a VIP group
        for (int i = 0; i < 20; i++) {
            h.group("wrVip" + i, "VIP Member Group", "wangwu");
            h.customer("m" + i, h.now());
            h.members.joinGroup("m" + i, "wrVip" + i, "VIP Member Group", h.now());
        }
        h.settle();

        // WHEN they all join the perks group, a second apart (distinct run ids)
        for (int i = 0; i < 20; i++) {
            h.clock.set(h.now().plusSeconds(1));
            h.members.joinGroup("m" + i, "wrPerks01", PERKS, h.now());
            h.settle();
        }
        h.runUntil(h.local(2024, 3, 9, 11, 0));

        // THEN every onboarding draft was addressed to the perks group
        List<CallLog.Call> drafts = h.calls(TEMPLATE).stream()
                .filter(c -> "group".equals(c.body().path("chat_type").asText())).toList();
        assertThat(drafts).hasSize(40);
        assertThat(drafts).allSatisfy(c -> assertThat(c.body().path("chat_id_list").path(0).asText())
                .isEqualTo("wrPerks01"));
    }
}
