package dev.siyu.functions.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.schedule.FreeloaderScan;
import dev.siyu.core.schedule.LifecycleStage;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.Timer;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each job, run by its events/ sample (the rule's Input), does its work on seeded data and says so in
 * its summary. All jobs read the whole tenant, which other tests share: counts are at least what each
 * test seeded, and the effects are checked on the test's own customers.
 */
@QuarkusTest
@QuarkusTestResource(SchedulerStackResource.class)
class ScheduledJobsTest {
    @InjectStack
    SchedulerStack stack;

    private JsonNode run(String job) {
        JsonNode summary = Invoke.summary(stack.services.event("scheduler-" + job + ".json"));
        assertThat(summary.path("job").asText()).isEqualTo(job);
        assertThat(Instant.parse(summary.path("startedAt").asText())).isBetween(
                stack.clock.instant().minusSeconds(60), stack.clock.instant());
        return summary.path("result");
    }

    private List<RecordedCall> calls(String api, String containing) {
        return stack.services.stub().calls(api).stream().filter(c -> c.errcode() == 0)
                .filter(c -> c.body().toString().contains(containing)).toList();
    }

    @Test
    void sweepTimersMovesDueTimersToTheJourneyQueue() {
        // GIVEN three steps due now and one due in an hour, waiting as timers (put there when they were
        // more than 15 minutes away: the sweep's cursor never moves back to a minute it finished)
        Instant now = stack.clock.instant();
        Set<String> due = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            DueStep s = step(now.plusMillis(i));
            stack.timers.put(new Timer(Timer.minuteOf(s.dueAt()), Timer.shardOf(s.runId(), 8), s));
            due.add(s.customerId());
        }
        DueStep later = step(now.plus(Duration.ofHours(1)));
        Timer laterTimer = new Timer(Timer.minuteOf(later.dueAt()), Timer.shardOf(later.runId(), 8), later);
        stack.timers.put(laterTimer);

        // WHEN the per-minute rule fires
        JsonNode result = run("sweep-timers");

        // THEN the three are on the queue and out of the table, the later one still waits
        assertThat(result.path("handedOver").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(result.path("found").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(result.path("putBack").asInt()).isZero();
        assertThat(result.path("buckets").asInt()).as("catch-up minutes x shards")
                .isGreaterThanOrEqualTo(TimerSweep.Settings.DEFAULT_SHARDS);
        List<DueStep> queued = stack.queuedSteps(due, 3, Duration.ofSeconds(5));
        assertThat(queued).extracting(DueStep::customerId).containsExactlyInAnyOrderElementsOf(due);
        assertThat(stack.timers.due(laterTimer.minute(), laterTimer.shard())).extracting(Timer::step).contains(later);

        // AND a second sweep in the same minute hands nothing over twice
        assertThat(run("sweep-timers").path("handedOver").asInt()).isZero();
    }

    private DueStep step(Instant dueAt) {
        return new DueStep(stack.tenant, "wx-sweep-" + UUID.randomUUID(), "new_customer_activation",
                "run-" + UUID.randomUUID(), 1, dueAt, Map.of("version", "1"));
    }

    @Test
    void dailyRulesRecalculateStagesTagAndStartConditionJourneys() {
        // GIVEN a customer added a minute ago and one added 40 days ago who never replied or bought
        CustomerProfile fresh = stack.customer("zhangsan", 0, null);
        CustomerProfile quiet = stack.customer("lisi", 40, null);

        // WHEN the 02:00 rule fires
        JsonNode result = run("daily-rules");

        // THEN both got their lifecycle stage, tag, and the WeCom tag mark
        assertThat(result.path("profiles").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(result.path("stageChanges").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(result.path("saved").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(result.path("markedInWeCom").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(result.path("failed").asInt()).isZero();
        assertThat(stack.profile(fresh).activity().stage()).isEqualTo(LifecycleStage.NEW.code());
        assertThat(stack.profile(fresh).tags()).contains(LifecycleStage.NEW.tag());
        assertThat(stack.profile(quiet).activity().stage()).isNotEqualTo(LifecycleStage.NEW.code());
        assertThat(calls("externalcontact/mark_tag", fresh.externalUserId())).isNotEmpty();
        // AND 30 silent days started dormant_reactivation for the quiet one
        assertThat(result.path("journeysStarted").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stack.runs.runs(stack.tenant, quiet.customerId())).extracting(JourneyRun::journey)
                .contains("dormant_reactivation");
        assertThat(stack.runs.runs(stack.tenant, fresh.customerId())).isEmpty();
    }

    @Test
    void groupSopDraftsTheDaysDueSlotsForTheOwner() {
        // GIVEN a perks group (calendar welfare_group_sop: 08:30 and 10:00 are due by 10:00)
        GroupStore.Group group = stack.group("Welcome Perks Group", 25);

        // WHEN the 15-minute rule fires, twice
        JsonNode result = run("group-sop");
        JsonNode again = run("group-sop");

        // THEN the owner has drafts for the group to confirm, once per slot
        assertThat(result.path("groupsWithSlots").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(result.path("drafted").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(result.path("day").asText()).isEqualTo("2026-11-24");
        List<RecordedCall> drafts = calls("externalcontact/add_msg_template", group.chatId());
        assertThat(drafts).isNotEmpty().allSatisfy(c -> {
            assertThat(c.body().path("chat_type").asText()).isEqualTo("group");
            assertThat(c.body().path("sender").asText()).isEqualTo("zhangsan");
        });
        assertThat(again.path("alreadyDone").asInt()).isGreaterThanOrEqualTo(drafts.size());
        assertThat(calls("externalcontact/add_msg_template", group.chatId())).hasSameSizeAs(drafts);
    }

    @Test
    void communityInvitesVipsAndDowngradesInactiveMembers() {
        // GIVEN a VIP group with room, a big spender in no VIP group (who agreed to marketing: a group
        // invite needs it), and a perks member silent for 45 days
        stack.group("VIP Member Group", 10);
        Instant bought = stack.clock.instant().minus(Duration.ofDays(3));
        CustomerProfile vip = stack.customer("zhangsan", 10,
                Activity.NONE.purchased(1200.0, "skincare", bought).consentGranted(bought));
        GroupStore.Group perks = stack.group("Welcome Perks Group", 0);
        CustomerProfile idle = stack.customer("lisi", 45, null);
        stack.groups.addMember(stack.tenant, perks.chatId(), idle.customerId(), stack.clock.instant().minus(Duration.ofDays(44)));

        // WHEN the daily community rule fires
        JsonNode result = run("community");

        // THEN the big spender got a VIP group invite, and the idle member was downgraded
        JsonNode invites = result.path("invites");
        assertThat(invites.path("candidates").asInt()).as("%s", result).isGreaterThanOrEqualTo(1);
        assertThat(invites.path("invited").asInt()).as("%s", result).isGreaterThanOrEqualTo(1);
        assertThat(calls("externalcontact/add_msg_template", vip.externalUserId())).hasSize(1);
        assertThat(result.path("pruning").path("downgraded").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stack.profile(idle).tags()).contains("dormant_customer");
    }

    @Test
    void freeloadersFlagsCustomersWhoOnlyClaimPerks() {
        CustomerProfile claimer = stack.customer("zhangsan", 20,
                Activity.NONE.claimedPerk().claimedPerk().claimedPerk());

        JsonNode result = run("freeloaders");

        assertThat(result.path("flagged").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stack.profile(claimer).activity().flags()).contains(FreeloaderScan.ABNORMAL_CLAIMS);
        assertThat(run("freeloaders").path("alreadyFlagged").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void offboardingHandsADepartedMembersCustomersToAColleague() {
        // GIVEN a customer of a member who left, listed by WeCom as waiting for a successor
        CustomerProfile orphan = stack.customer("zhouba_left", 100, null);
        stack.services.stub().registerUnassigned("zhouba_left", orphan.externalUserId());

        // WHEN the hourly rule fires
        JsonNode result = run("offboarding");

        // THEN a colleague from the takeover pool was asked to take the customer over
        JsonNode assign = result.path("assign");
        assertThat(assign.path("unassigned").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(assign.path("requested").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(assign.path("successors").path("zhouba_left").asText()).isIn("zhangsan", "lisi");
        assertThat(result.path("poll").isObject()).isTrue();
        List<RecordedCall> transfers = new ArrayList<>(calls("externalcontact/resigned/transfer_customer",
                orphan.externalUserId()));
        assertThat(transfers).hasSize(1);
    }

    @Test
    void staffDirectoryMarksAMemberWhoLeftAndOffboardingHandsTheirCustomersOn() {
        // GIVEN a customer of zhouba, who then leaves the company: deleted from WeCom's directory
        CustomerProfile customer = stack.customer("zhouba", 40, null);
        var stub = stack.services.stub();
        stub.registerContact(new dev.siyu.stack.wecom.StubContact(customer.externalUserId(), "Customer", "", null, 0,
                List.of("zhouba")));
        assertThat(stub.directory().leave("zhouba")).as("customers left behind").isEqualTo(1);
        try {
            // WHEN the daily staff-directory rule fires
            JsonNode sync = run("staff-directory");

            // THEN the blueprint's zhouba is marked for offboarding, read with the contacts secret's own token
            assertThat(sync.path("departed").path("zhouba").asText()).isEqualTo("not_in_directory");
            assertThat(sync.path("staff").asInt()).isEqualTo(8);
            assertThat(stub.calls("user/list_id")).isNotEmpty().allSatisfy(c -> assertThat(c.errcode()).isZero());
            assertThat(stub.calls("user/get")).anySatisfy(c -> assertThat(c.query()).containsEntry("userid", "zhangsan"));

            // AND the next offboarding run hands zhouba's customer to a colleague of the takeover pool
            JsonNode offboarding = run("offboarding");
            assertThat(offboarding.path("assign").path("successors").path("zhouba").asText()).isIn("zhangsan", "lisi");
            assertThat(calls("externalcontact/resigned/transfer_customer", customer.externalUserId())).hasSize(1);
        } finally {
            stub.directory().member("zhouba", "Zhou Ba", dev.siyu.core.port.WeComApi.Member.ACTIVE, 5L);
        }
    }

    @Test
    void pointsExpiryTakesTheDuePointsOfAMemberAndTellsThem() {
        // GIVEN a member whose 120 points, earned 367 days ago, expired two days ago
        CustomerProfile member = stack.customer("zhangsan", 400, null);
        Instant earned = stack.clock.instant().minus(Duration.ofDays(367));
        var ledger = new dev.siyu.store.DynamoPointsLedger(stack.aws.dynamoDb(), stack.table,
                new dev.siyu.store.CapacityMeter(), stack.customers);
        var rules = new dev.siyu.core.member.PointsRules(new dev.siyu.core.config.Membership(1, "CNY",
                Duration.ofDays(365), List.of(), Map.of()));
        ledger.post(stack.tenant, member.customerId(), "order-pos-EXP-1", latest -> rules.apply(latest,
                "order-pos-EXP-1", dev.siyu.core.member.LedgerEntry.Kind.EARN, 120, 120, earned,
                earned.plus(Duration.ofDays(365)), "EXP-1", "ev-EXP-1")
                .map(c -> new dev.siyu.core.port.PointsLedger.Applied(c.profile(), c.entry(), c.events())));

        // WHEN the nightly points-expiry rule fires
        JsonNode result = run("points-expiry");

        // THEN the points are gone, once, and the member finds a note in the Mini Program's notification centre
        assertThat(result.path("expired").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stack.profile(member).activity().points().balance()).isZero();
        assertThat(ledger.entries(stack.tenant, member.customerId())).extracting(e -> e.kind().name())
                .containsExactly("EARN", "EXPIRE");
        assertThat(new dev.siyu.store.DynamoMemberDetailsStore(stack.aws.dynamoDb(), stack.table,
                new dev.siyu.store.CapacityMeter()).details(stack.tenant, member.customerId()).orElseThrow()
                .notifications()).extracting(n -> n.kind()).containsExactly("points_expired");
        assertThat(run("points-expiry").path("days").size()).as("every day is done").isZero();
    }
}
