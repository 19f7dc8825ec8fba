package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryDecisionCounts;
import dev.siyu.memory.MemoryGroupStore;
import dev.siyu.memory.MemoryOutreachCounters;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GroupSopTest {
    private static final LocalDate MONDAY = LocalDate.parse("2026-03-02");
    private static final LocalDate TUESDAY = MONDAY.plusDays(1);
    private static final LocalDate WEDNESDAY = MONDAY.plusDays(2);
    private static final LocalDate FRIDAY = MONDAY.plusDays(4);
    private static final Instant CREATED = Instant.parse("2026-01-05T02:00:00Z");

    private final MemoryGroupStore groups = new MemoryGroupStore();
    private final MemoryCustomerStore claims = new MemoryCustomerStore();
    private final MemoryOutreachCounters counters = new MemoryOutreachCounters();
    private final MemoryDecisionCounts decisions = new MemoryDecisionCounts();
    private final MemoryTenantLog log = new MemoryTenantLog();
    private final RecordingWeComApi wecom = new RecordingWeComApi();

    GroupSopTest() {
        groups.save(new Group(TENANT, "wr-perks", "Perks #1", Blueprint.PERKS, "amy", 180, "active", CREATED));
        groups.save(new Group(TENANT, "wr-fans", "Live fans", Blueprint.FANS, "ben", 300, "active", CREATED));
        groups.save(new Group(TENANT, "wr-vip", "VIP #1", Blueprint.VIP, "cai", 60, "active", CREATED));
        groups.save(new Group(TENANT, "wr-staff", "Staff chat", null, "amy", 12, "active", CREATED));
    }

    /** The API as the engine wraps it: a card's picture is uploaded before the draft (WeCom refuses it otherwise). */
    private dev.siyu.core.port.WeComApi cards() {
        return dev.siyu.core.media.MediaAttachingWeComApi.uploading(wecom, TENANT,
                new dev.siyu.memory.MemoryMediaCache(), java.time.Clock.systemUTC());
    }

    private GroupSop sop(Guardrails guardrails) {
        ScrmConfig config = Blueprint.config(guardrails, 100);
        return new GroupSop(config, groups, claims, new OutreachGate(guardrails, Blueprint.ZONE), counters, decisions,
                log, cards(), new Ids());
    }

    @Test
    void aSlotWhoseClaimWasRetriedAfterItTookEffectIsStillDrafted() {
        // GIVEN a store whose claim writes take effect and lose their answer, so each is sent again
        ScrmConfig config = Blueprint.config(Guardrails.DEFAULTS, 100);
        GroupSop sop = new GroupSop(config, groups, dev.siyu.memory.LostClaimAnswers.over(claims),
                new OutreachGate(Guardrails.DEFAULTS, Blueprint.ZONE), counters, decisions, log, wecom, new Ids());
        // WHEN the 09:00 run finds the perks group's morning slot due
        GroupSop.Summary run = sop.run(Blueprint.at(TUESDAY, 9, 0));
        // THEN the retried claim found its own write: the slot is drafted, not skipped as done by someone else
        assertThat(draftTexts("wr-perks")).containsExactly("Good morning! Today's weather and a skincare tip");
        assertThat(run.alreadyDone()).isZero();
        // AND a later run (another attempt, its own token) finds it done
        sop(Guardrails.DEFAULTS).run(Blueprint.at(TUESDAY, 9, 15));
        assertThat(draftTexts("wr-perks")).hasSize(1);
    }

    /** The scheduler's 15-minute rule over one local day. */
    private static void everyQuarterHour(GroupSop sop, LocalDate day) {
        for (int minute = 0; minute < 24 * 60; minute += 15) {
            sop.run(Blueprint.at(day, minute / 60, minute % 60));
        }
    }

    private List<MsgTemplate> drafts(String chatId) {
        return wecom.templates().stream().filter(t -> t.chatIds().contains(chatId)).toList();
    }

    private List<String> draftTexts(String chatId) {
        return drafts(chatId).stream().map(MsgTemplate::text).toList();
    }

    /** The calendar entries of a group and day that the gate decided on (drafted, dropped, deferred, skipped). */
    private List<String> segmentsDecided(String chatId, LocalDate day) {
        return log.of("GROUP#" + chatId).stream().filter(e -> e.details().get("date").equals(day.toString()))
                .map(e -> e.details().get("segment")).toList();
    }

    @Test
    void theSixDailySlotsOfThePerksGroupBecomeSixDraftsForTheOwnerOverADay() {
        // GIVEN business hours 09:00-22:00 and a Tuesday (no weekly event)
        GroupSop sop = sop(Blueprint.hoursUntil22());
        // WHEN the job runs every 15 minutes all day
        everyQuarterHour(sop, TUESDAY);
        // THEN the perks group's owner has six drafts, in calendar order, with cards where the slot has one
        assertThat(draftTexts("wr-perks")).containsExactly(
                "Good morning! Today's weather and a skincare tip",
                "In-depth review: our hydrating serum",
                "Poll: guess the price!",
                "Flash sale, 30 units only",
                "Your photos this week",
                "Tomorrow's preview + red envelope password");
        assertThat(drafts("wr-perks")).allSatisfy(t -> {
            assertThat(t.chatType()).isEqualTo("group");
            assertThat(t.sender()).isEqualTo("amy");
            assertThat(t.chatIds()).containsExactly("wr-perks");
        });
        assertThat(drafts("wr-perks").get(1).attachment()).satisfies(a -> {
            assertThat(a.kind()).isEqualTo("miniprogram");
            assertThat(a.url()).as("the template's mini_program_page").isEqualTo("pages/picks/index");
        });
        assertThat(drafts("wr-perks").get(0).attachment()).isNull();
        assertThat(log.of("GROUP#wr-perks", "sop_draft_created")).hasSize(6);
        // and the group that is not one of ours gets nothing
        assertThat(drafts("wr-staff")).isEmpty();
    }

    @Test
    void the0830SlotIsDeferredToTheOpeningAt0900AndPostedOnce() {
        GroupSop sop = sop(Guardrails.DEFAULTS);
        // WHEN the runs at 08:30 and 08:45 find the slot before business hours
        GroupSop.Summary first = sop.run(Blueprint.at(TUESDAY, 8, 30));
        sop.run(Blueprint.at(TUESDAY, 8, 45));
        // THEN nothing is drafted yet, and the deferral to 09:00 is logged once
        assertThat(drafts("wr-perks")).isEmpty();
        assertThat(first.pending()).isEqualTo(2);
        assertThat(log.of("GROUP#wr-perks", "sop_slot_deferred")).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("rule", "QUIET_HOURS")
                    .containsEntry("until", Blueprint.at(TUESDAY, 9, 0).toString())
                    .containsEntry("segment", "Morning greeting");
        });
        // WHEN the 09:00 and 09:15 runs come
        GroupSop.Summary atNine = sop.run(Blueprint.at(TUESDAY, 9, 0));
        sop.run(Blueprint.at(TUESDAY, 9, 15));
        // THEN the greeting is drafted exactly once, at the opening
        assertThat(draftTexts("wr-perks")).containsExactly("Good morning! Today's weather and a skincare tip");
        assertThat(atNine.drafted()).isEqualTo(2);
        assertThat(log.of("GROUP#wr-perks", "sop_draft_created")).singleElement()
                .satisfies(e -> assertThat(e.at()).isEqualTo(Blueprint.at(TUESDAY, 9, 0)));
        assertThat(decisions.counts(TENANT, TUESDAY, TUESDAY))
                .containsEntry("DEFER:QUIET_HOURS", 2L)
                .containsEntry("ALLOW", 2L);
    }

    @Test
    void weeklyEventsArePostedOnTheirDayOnlyToTheirGroupTypes() {
        GroupSop sop = sop(Blueprint.hoursUntil22());
        // Monday: the VIP early access, only in the VIP group
        sop.run(Blueprint.at(MONDAY, 20, 0));
        assertThat(draftTexts("wr-vip")).containsExactly("VIP-only early access price");
        assertThat(draftTexts("wr-perks")).doesNotContain("VIP-only early access price");
        // Tuesday: no weekly event anywhere
        wecom.forgetMarksAndTemplates();
        sop.run(Blueprint.at(TUESDAY, 20, 0));
        assertThat(draftTexts("wr-vip")).isEmpty();
        assertThat(draftTexts("wr-perks")).hasSize(5);
        // Wednesday: the livestream preview for the fans group only, though perks shares its template
        wecom.forgetMarksAndTemplates();
        sop.run(Blueprint.at(WEDNESDAY, 20, 0));
        assertThat(draftTexts("wr-fans")).contains("Tonight on Channels: exclusive coupon inside");
        assertThat(draftTexts("wr-perks")).doesNotContain("Tonight on Channels: exclusive coupon inside");
        // Friday: the stock-up day is put to the gate for every group of the template (drafted, or dropped
        // where the week's promotions already fill the group's 30%), never for the VIP group
        wecom.forgetMarksAndTemplates();
        sop.run(Blueprint.at(FRIDAY, 20, 0));
        assertThat(segmentsDecided("wr-perks", FRIDAY)).contains("Weekend stock-up day");
        assertThat(segmentsDecided("wr-fans", FRIDAY)).contains("Weekend stock-up day");
        assertThat(segmentsDecided("wr-vip", FRIDAY)).isEmpty();
    }

    @Test
    void aSlotIsNeverPostedTwiceAcrossRepeatedAndOverlappingRuns() throws Exception {
        GroupSop sop = sop(Blueprint.hoursUntil22());
        // repeated and late runs
        for (Instant at : List.of(Blueprint.at(TUESDAY, 10, 0), Blueprint.at(TUESDAY, 10, 0),
                Blueprint.at(TUESDAY, 10, 7), Blueprint.at(TUESDAY, 12, 31))) {
            sop.run(at);
        }
        // and eight runs at the same moment, as an EventBridge redelivery and a manual run might overlap
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<GroupSop.Summary>> same = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                same.add(() -> sop.run(Blueprint.at(TUESDAY, 15, 0)));
            }
            int drafted = 0;
            for (Future<GroupSop.Summary> f : pool.invokeAll(same)) {
                drafted += f.get().drafted();
            }
            assertThat(drafted).as("only one of the overlapping runs drafts the 15:00 slot, per group").isEqualTo(2);
        } finally {
            pool.shutdown();
        }
        everyQuarterHour(sop, TUESDAY);
        assertThat(draftTexts("wr-perks")).hasSize(6).doesNotHaveDuplicates();
        assertThat(draftTexts("wr-fans")).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void aPromotionThatWouldTakeTheGroupOver30PercentIsDroppedAndLogged() {
        // GIVEN the seed's calendar, two promotions in six posts (33%), on a window of the latest 10 posts
        GroupSop sop = sop(Blueprint.hoursUntil22());
        everyQuarterHour(sop, TUESDAY);
        assertThat(draftTexts("wr-perks")).hasSize(6);
        // WHEN the next day runs
        wecom.forgetMarksAndTemplates();
        everyQuarterHour(sop, WEDNESDAY);
        // THEN the evening perk would be the 4th promotion among the latest 10: dropped, and the log says why
        assertThat(draftTexts("wr-perks")).hasSize(5).doesNotContain("Tomorrow's preview + red envelope password");
        List<TimelineEvent> dropped = log.of("GROUP#wr-perks", "sop_slot_dropped");
        assertThat(dropped).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("rule", "CONTENT_MIX").containsEntry("segment", "Evening perk")
                    .containsEntry("date", WEDNESDAY.toString());
            assertThat(e.details().get("reason")).contains("30%");
        });
        long droppedEverywhere = log.all().stream().filter(e -> e.kind().equals("sop_slot_dropped")).count();
        assertThat(decisions.counts(TENANT, WEDNESDAY, WEDNESDAY)).containsEntry("DROP:CONTENT_MIX", droppedEverywhere);
        // and the group's window holds what was drafted, nothing else
        assertThat(counters.mix(TENANT, "group:wr-perks")).hasSize(11)
                .filteredOn(c -> c == ContentClass.PROMOTIONAL).hasSize(3);
    }

    @Test
    void withBusinessHoursEndingAt2100TheEveningSlotIsSkippedAsPastItsDayNotPostedTheNextMorning() {
        GroupSop sop = sop(Guardrails.DEFAULTS);
        everyQuarterHour(sop, TUESDAY);
        everyQuarterHour(sop, WEDNESDAY);
        assertThat(draftTexts("wr-perks")).doesNotContain("Tomorrow's preview + red envelope password");
        assertThat(log.of("GROUP#wr-perks", "sop_slot_skipped")).hasSize(2).allSatisfy(e -> assertThat(e.details())
                .containsEntry("rule", "QUIET_HOURS").containsEntry("segment", "Evening perk"));
        assertThat(log.of("GROUP#wr-perks", "sop_slot_skipped").get(0).details().get("why")).contains("past the slot's day");
    }

    @Test
    void aDraftWeComRefusedIsTriedAgainByTheNextRun() {
        GroupSop sop = sop(Guardrails.DEFAULTS);
        sop.run(Blueprint.at(TUESDAY, 9, 59));
        wecom.failTemplates(2);
        GroupSop.Summary failed = sop.run(Blueprint.at(TUESDAY, 10, 0));
        assertThat(failed.failed()).isEqualTo(2);
        assertThat(log.of("GROUP#wr-perks", "sop_draft_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("errcode", "45009"));
        sop.run(Blueprint.at(TUESDAY, 10, 15));
        assertThat(draftTexts("wr-perks")).containsExactly("Good morning! Today's weather and a skincare tip",
                "In-depth review: our hydrating serum");
    }

    @Test
    void aDraftWhoseAnswerWasLostIsNotDraftedAgainByTheNextRun() {
        GroupSop sop = sop(Guardrails.DEFAULTS);
        sop.run(Blueprint.at(TUESDAY, 9, 59));
        // GIVEN WeCom creates the 10:00 drafts but its answers are lost (-1: WeCom may have acted)
        wecom.loseTemplateAnswers(2);
        sop.run(Blueprint.at(TUESDAY, 10, 0));
        // WHEN the next run comes
        sop.run(Blueprint.at(TUESDAY, 10, 15));
        // THEN the group got each post once: an unknown outcome keeps the slot taken (at most once)
        assertThat(draftTexts("wr-perks")).containsExactly("Good morning! Today's weather and a skincare tip",
                "In-depth review: our hydrating serum");
    }

    @Test
    void aDraftWhoseAnswerTimedOutAfterWeComMadeItIsNotDraftedAgainByTheNextRun() {
        java.time.Clock at10 = java.time.Clock.fixed(Blueprint.at(TUESDAY, 10, 0), java.time.ZoneOffset.UTC);
        RecordingWeComApi recording = new RecordingWeComApi(at10);
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        // The perks group's first draft reaches WeCom, and its answer is lost to a read time-out.
        dev.siyu.core.port.WeComApi timingOut = (dev.siyu.core.port.WeComApi) java.lang.reflect.Proxy.newProxyInstance(
                dev.siyu.core.port.WeComApi.class.getClassLoader(), new Class<?>[] {dev.siyu.core.port.WeComApi.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("touching")) {
                        return proxy;
                    }
                    Object answer;
                    try {
                        answer = m.invoke(recording, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals("addMsgTemplate") && ((MsgTemplate) args[0]).chatIds().contains("wr-perks")
                            && timedOut.compareAndSet(false, true)) {
                        throw new dev.siyu.core.port.WeComApiException(-1, "read timed out",
                                new java.net.SocketTimeoutException("Read timed out"));
                    }
                    return answer;
                });
        GroupSop sop = new GroupSop(Blueprint.config(Guardrails.DEFAULTS, 100), groups, claims,
                new OutreachGate(Guardrails.DEFAULTS, Blueprint.ZONE), counters, decisions, log,
                dev.siyu.core.media.MediaAttachingWeComApi.uploading(timingOut, TENANT,
                        new dev.siyu.memory.MemoryMediaCache(), java.time.Clock.systemUTC()), new Ids());

        sop.run(Blueprint.at(TUESDAY, 9, 59));
        sop.run(Blueprint.at(TUESDAY, 10, 0));
        sop.run(Blueprint.at(TUESDAY, 10, 15));

        assertThat(recording.templates().stream().filter(t -> t.chatIds().contains("wr-perks")).map(MsgTemplate::text))
                .containsExactly("Good morning! Today's weather and a skincare tip", "In-depth review: our hydrating serum");
    }

    @Test
    void aGroupOfATypeTheBlueprintDoesNotKnowIsReported() {
        groups.save(new Group(TENANT, "wr-old", "Old", "Retired Group", "amy", 20, "active", CREATED));
        GroupSop.Summary s = sop(Guardrails.DEFAULTS).run(Blueprint.at(TUESDAY, 12, 0));
        assertThat(s.problems()).singleElement().asString().contains("Retired Group", "wr-old");
        assertThat(drafts("wr-old")).isEmpty();
        assertThat(s.day()).isEqualTo(TUESDAY);
        assertThat(Duration.between(CREATED, Blueprint.at(TUESDAY, 12, 0))).isPositive();
    }
}
