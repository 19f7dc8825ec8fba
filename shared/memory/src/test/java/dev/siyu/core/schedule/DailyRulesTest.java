package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.AutoTaggingRule;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DailyRulesTest {
    /** The daily rules store what the scorer gives; the model's scores come from the nightly scoring job. */
    private static final ChurnScorer FIXED_SCORE = (profile, now) -> 0.5;

    private static final Instant NOW = Blueprint.at("2026-03-02T03:00");
    private static final Set<String> LIFECYCLE_TAGS = Set.of("new_customer", "active_customer", "dormant_customer",
            "churn_warning", "churned");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final RecordingWeComApi wecom = new RecordingWeComApi();
    private final RecordingConditionTriggers triggers = new RecordingConditionTriggers();

    private DailyRules rules(ScrmConfig config, ChurnScorer scorer) {
        return new DailyRules(config, customers, customers, wecom, new CorpTags(wecom, config.tagSystem()),
                MapConditionCompiler.blueprint().define("customer.days_since_last_interaction >= 45",
                        c -> (Long) c.get("days_since_last_interaction") >= 45),
                triggers, scorer, new Ids());
    }

    private DailyRules rules() {
        return rules(Blueprint.config(), ChurnScorer.KEEP_STORED);
    }

    private static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    /** Added `tenure` days ago, last replied and bought `silent` days ago. */
    private static CustomerProfile engaged(String id, long tenure, long silent) {
        Activity a = Activity.NONE.purchased(120, "skincare", daysAgo(silent)).interacted(daysAgo(silent), true);
        return Blueprint.withActivity(Blueprint.customer(id, "amy", daysAgo(tenure)), a);
    }

    private Set<String> lifecycleTags(String id) {
        Set<String> tags = new java.util.TreeSet<>(customers.get(TENANT, id).tags());
        tags.retainAll(LIFECYCLE_TAGS);
        return tags;
    }

    @Test
    void aCustomerWhoSpentOver2000IsTaggedHighValueOnTheProfileAndInWeCom() {
        // GIVEN a customer who has spent 2,500 yuan, served by Amy
        Activity spent = Activity.NONE.purchased(1500, "skincare", daysAgo(20)).purchased(1000, "cosmetics", daysAgo(1))
                .interacted(daysAgo(1), true);
        customers.put(Blueprint.withActivity(Blueprint.customer("c1", "amy", daysAgo(60)), spent));
        // WHEN the daily rules run
        DailyRules.Summary summary = rules().run(NOW);
        // THEN the spend rule's tags are on the profile and marked in WeCom through Amy
        CustomerProfile after = customers.get(TENANT, "c1");
        assertThat(after.tags()).contains("high_value_customer", "vip_candidate");
        assertThat(wecom.marks()).hasSize(1);
        RecordingWeComApi.MarkTag mark = wecom.marks().get(0);
        assertThat(mark.staff()).isEqualTo("amy");
        assertThat(mark.externalUserId()).isEqualTo("ext-c1");
        assertThat(mark.add()).containsExactlyInAnyOrder("tag-high_value_customer", "tag-vip_candidate",
                "tag-active_customer");
        TimelineEvent tagged = customers.events(TENANT, "c1", "tags_changed").get(0);
        assertThat(tagged.details()).containsEntry("marked_in_wecom", "true");
        assertThat(tagged.details().get("rules")).contains("Cumulative spend > 2000", "First purchase completed");
        assertThat(summary.markedInWeCom()).isEqualTo(1);
        assertThat(summary.tagsAdded()).isEqualTo(3);
        // each tag gained is a tag_added of source rule
        assertThat(customers.events(TENANT, "c1", "tag_added")).extracting(e -> e.details().get("tag"))
                .containsExactlyInAnyOrder("high_value_customer", "vip_candidate", "active_customer");
        assertThat(customers.events(TENANT, "c1", "tag_added"))
                .allSatisfy(e -> assertThat(e.details()).containsEntry("source", "rule"));
    }

    @Test
    void theLifecycleStageOwnsItsTags_rulesThatTouchThemAreReportedAndOverruled() {
        // GIVEN the seed's "First purchase completed -> new_customer" and a buyer of 60 days' standing
        customers.put(engaged("c1", 60, 1));
        // WHEN the rules run
        DailyRules.Summary summary = rules().run(NOW);
        // THEN the customer carries only the stage's tag, and the operator is told why new_customer is not there
        assertThat(lifecycleTags("c1")).containsExactly("active_customer");
        assertThat(summary.ruleProblems()).extracting(DailyRules.RuleProblem::trigger)
                .containsExactly("First purchase completed", "30 days no interaction");
        assertThat(summary.ruleProblems().get(0).problem()).contains("new_customer", "Lifecycle Stage");
    }

    @Test
    void tagsARuleRemovesComeOffTheProfileAndOffWeCom() {
        // GIVEN a lapsed-VIP rule and a vip_candidate who has been quiet for 50 days; WeCom already has the tag
        wecom.seedCorpTags("Spending Tier", new LinkedHashMap<>(Map.of("vip_candidate", "et-vip")));
        ScrmConfig config = Blueprint.withRules(List.of(new AutoTaggingRule("45 days quiet",
                "customer.days_since_last_interaction >= 45", List.of("lapsed"), List.of("vip_candidate"))));
        customers.put(Blueprint.withTags(engaged("c1", 80, 50), "vip_candidate", "active_customer"));
        customers.put(Blueprint.withTags(engaged("c2", 80, 10), "vip_candidate", "active_customer"));
        // WHEN the rules run
        rules(config, ChurnScorer.KEEP_STORED).run(NOW);
        // THEN the quiet one lost vip_candidate (in WeCom by its existing id) and gained lapsed; the other is untouched
        assertThat(customers.get(TENANT, "c1").tags()).contains("lapsed").doesNotContain("vip_candidate");
        assertThat(wecom.marks()).singleElement().satisfies(m -> {
            assertThat(m.externalUserId()).isEqualTo("ext-c1");
            assertThat(m.add()).containsExactly("tag-lapsed");
            assertThat(m.remove()).containsExactly("et-vip");
        });
        assertThat(customers.get(TENANT, "c2").tags()).contains("vip_candidate").doesNotContain("lapsed");
        assertThat(wecom.corpTags().get("Auto Tags")).containsKey("lapsed");
    }

    @Test
    void aRuleWithoutWhenIsReportedOnceAndNeverApplied() {
        ScrmConfig config = Blueprint.withRules(List.of(
                new AutoTaggingRule("Joined via livestream", List.of("livestream"), List.of()),
                new AutoTaggingRule("Cumulative spend > 2000", "customer.total_spend > 2000.0",
                        List.of("high_value_customer"), List.of())));
        for (int i = 0; i < 3; i++) {
            customers.put(engaged("c" + i, 60, 1));
        }
        DailyRules.Summary summary = rules(config, ChurnScorer.KEEP_STORED).run(NOW);
        assertThat(summary.ruleProblems()).singleElement().satisfies(p -> {
            assertThat(p.trigger()).isEqualTo("Joined via livestream");
            assertThat(p.problem()).contains("no `when`");
        });
        assertThat(summary.profiles()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(customers.get(TENANT, "c" + i).tags()).doesNotContain("livestream");
        }
    }

    @Test
    void aCustomerWithoutAnActiveContactIsTaggedOnTheProfileOnly() {
        CustomerProfile p = engaged("c1", 60, 1);
        p = p.withRelationship(p.relationships().get("amy").ended(daysAgo(2), StaffRelationship.EndedBy.CUSTOMER),
                p.updatedAt());
        customers.put(p);
        DailyRules.Summary summary = rules().run(NOW);
        assertThat(wecom.marks()).isEmpty();
        assertThat(summary.withoutActiveContact()).isEqualTo(1);
        assertThat(customers.get(TENANT, "c1").tags()).contains("active_customer");
        assertThat(customers.events(TENANT, "c1", "tags_changed").get(0).details())
                .containsEntry("marked_in_wecom", "false").containsEntry("wecom", "no_active_contact");
    }

    @Test
    void stagesByTenure_boundariesAt7And30Days() {
        customers.put(engaged("d6", 6, 0));
        customers.put(engaged("d7", 7, 0));
        customers.put(engaged("d29", 29, 0));
        customers.put(engaged("d30", 30, 0));
        customers.put(engaged("d89", 89, 0));
        DailyRules.Summary summary = rules().run(NOW);
        assertThat(customers.get(TENANT, "d6").activity().stage()).isEqualTo("new");
        assertThat(customers.get(TENANT, "d7").activity().stage()).isEqualTo("growth");
        assertThat(customers.get(TENANT, "d29").activity().stage()).isEqualTo("growth");
        assertThat(customers.get(TENANT, "d30").activity().stage()).isEqualTo("mature");
        assertThat(customers.get(TENANT, "d89").activity().stage()).isEqualTo("mature");
        assertThat(lifecycleTags("d6")).containsExactly("new_customer");
        assertThat(lifecycleTags("d7")).containsExactly("active_customer");
        assertThat(summary.stages()).containsEntry("new", 1).containsEntry("growth", 2).containsEntry("mature", 2);
    }

    @Test
    void dormantAfter90SilentDays_churnedAfter180_andOneLifecycleTagOnly() {
        customers.put(Blueprint.withTags(engaged("s89", 300, 89), "active_customer"));
        customers.put(Blueprint.withTags(engaged("s90", 300, 90), "active_customer"));
        customers.put(Blueprint.withTags(engaged("s180", 300, 180), "dormant_customer"));
        rules().run(NOW);
        assertThat(customers.get(TENANT, "s89").activity().stage()).isEqualTo("mature");
        assertThat(customers.get(TENANT, "s90").activity().stage()).isEqualTo("dormant");
        assertThat(customers.get(TENANT, "s180").activity().stage()).isEqualTo("churned");
        assertThat(lifecycleTags("s90")).containsExactly("dormant_customer");
        assertThat(lifecycleTags("s180")).containsExactly("churned");
        assertThat(wecom.marks()).filteredOn(m -> m.externalUserId().equals("ext-s180")).singleElement()
                .satisfies(m -> {
                    assertThat(m.add()).containsExactly("tag-churned");
                    assertThat(m.remove()).containsExactly("tag-dormant_customer");
                });
    }

    @Test
    void aStoredChurnScoreAbove0_7PutsTheCustomerOnWarning() {
        Activity risky = engaged("r", 60, 5).activity().withChurnScore(0.82);
        customers.put(Blueprint.withActivity(Blueprint.customer("r", "amy", daysAgo(60)), risky));
        customers.put(Blueprint.withActivity(Blueprint.customer("ok", "amy", daysAgo(60)),
                engaged("ok", 60, 5).activity().withChurnScore(0.70)));
        rules().run(NOW);
        assertThat(customers.get(TENANT, "r").activity().stage()).isEqualTo("churn_warning");
        assertThat(lifecycleTags("r")).containsExactly("churn_warning");
        assertThat(customers.get(TENANT, "ok").activity().stage()).isEqualTo("mature");
    }

    @Test
    void aStageChangeIsRecordedOnce_andACustomerWithNothingNewIsNotSaved() {
        // GIVEN a customer added 5 days ago
        customers.put(engaged("c1", 5, 0));
        DailyRules daily = rules(Blueprint.config(), FIXED_SCORE);
        // WHEN the rules run, then run again the same day
        daily.run(NOW);
        long savesBefore = customers.saveCount();
        DailyRules.Summary again = daily.run(NOW.plus(Duration.ofMinutes(5)));
        // THEN the second run changed and saved nothing
        assertThat(again.saved()).isZero();
        assertThat(customers.saveCount()).isEqualTo(savesBefore);
        assertThat(customers.events(TENANT, "c1", "stage_changed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("stage", "new").containsEntry("from", "none"));
        // WHEN two days later the customer is a week old
        wecom.forgetMarksAndTemplates();
        daily.run(NOW.plus(Duration.ofDays(2)));
        // THEN the stage moved to growth once, and WeCom swapped new_customer for active_customer
        assertThat(customers.events(TENANT, "c1", "stage_changed")).hasSize(2).last()
                .satisfies(e -> assertThat(e.details()).containsEntry("stage", "growth").containsEntry("from", "new"));
        assertThat(wecom.marks()).singleElement().satisfies(m -> {
            assertThat(m.add()).containsExactly("tag-active_customer");
            assertThat(m.remove()).containsExactly("tag-new_customer");
        });
    }

    @Test
    void conditionTriggersAreCheckedForEveryCustomerWithTheRefreshedProfile() {
        customers.put(engaged("c1", 5, 0));
        customers.put(engaged("c2", 100, 95));
        rules(Blueprint.config(), FIXED_SCORE).run(NOW);
        rules(Blueprint.config(), FIXED_SCORE).run(NOW);
        assertThat(triggers.checked).hasSize(4);
        assertThat(triggers.checked).filteredOn(p -> p.customerId().equals("c2"))
                .allSatisfy(p -> {
                    assertThat(p.activity().stage()).isEqualTo("dormant");
                    assertThat(p.activity().churnScore()).isNotNull();
                    assertThat(p.tags()).contains("dormant_customer");
                });
    }
}
