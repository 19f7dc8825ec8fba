package dev.siyu.core.config;

import static dev.siyu.core.config.Blueprint.BASE;
import static dev.siyu.core.config.Blueprint.CALENDAR;
import static dev.siyu.core.config.Blueprint.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.gate.ContentClass;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** sop_calendar, community and offboarding: GIVEN one mistake, THEN its path, line, column and fix. */
class SopCalendarAndCommunityTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static String calendar(String original, String replacement) {
        assertThat(CALENDAR.split(Pattern.quote(original), -1)).as("occurrences of " + original).hasSize(2);
        return BASE + CALENDAR.replace(original, replacement);
    }

    private ConfigProblem onlyProblem(String yaml) {
        return Blueprint.onlyProblem(loader, yaml);
    }

    @Nested
    class Calendar {
        private static final String W = "sop_calendar.welfare_group_sop.";

        @Test
        void slotsAndWeeklyEventsAreRead() {
            SopCalendar calendar = Blueprint.load(loader, BASE + CALENDAR).sopCalendar();
            SopCalendar.Template welfare = calendar.templates().get("welfare_group_sop");
            assertThat(welfare.daily()).containsExactly(
                    new SopCalendar.Slot(LocalTime.of(8, 30), "Morning greeting", "Good morning", ContentClass.VALUE, false),
                    new SopCalendar.Slot(LocalTime.of(15, 0), "Flash sale", "30 units only", ContentClass.PROMOTIONAL, true));
            assertThat(welfare.weekly()).containsExactly(new SopCalendar.WeeklyEvent(DayOfWeek.WEDNESDAY,
                    LocalTime.of(18, 0), "Livestream preview", "Tonight on Channels", ContentClass.PROMOTIONAL, List.of()));
            SopCalendar.Template vip = calendar.templates().get("vip_group_sop");
            assertThat(vip.daily()).isEmpty();
            assertThat(vip.weekly()).singleElement().satisfies(e -> {
                assertThat(e.day()).isEqualTo(DayOfWeek.MONDAY);
                assertThat(e.groupTypes()).containsExactly("VIP Member Group");
            });
        }

        @Test
        void timeIsHoursAndMinutes() {
            String yaml = calendar("at: \"08:30\"", "at: \"8:30\"");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "\"8:30\"", W + "daily[0].at",
                    "at '8:30' must be a 24-hour time HH:mm, such as \"08:30\""));
        }

        @Test
        void noTwentyFifthHour() {
            assertThat(onlyProblem(calendar("at: \"15:00\"", "at: \"25:00\"")).message())
                    .isEqualTo("at '25:00' must be a 24-hour time HH:mm, such as \"08:30\"");
        }

        @Test
        void twoSlotsAtOneTime() {
            String yaml = calendar("at: \"15:00\"", "at: \"08:30\" ");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "\"08:30\" ", W + "daily[1].at",
                    "another daily slot is at 08:30 (line " + problem(yaml, "\"08:30\",", "", "").line()
                            + "); one slot per time"));
        }

        @Test
        void dayIsMondayToSunday() {
            String yaml = calendar("day: Wednesday", "day: Wensday");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "Wensday", W + "weekly[0].day",
                    "unknown day 'Wensday' (known: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday);"
                            + " did you mean 'Wednesday'?"));
        }

        @Test
        void dayInAnyCase() {
            assertThat(Blueprint.load(loader, calendar("day: Wednesday", "day: wednesday")).sopCalendar().templates()
                    .get("welfare_group_sop").weekly().get(0).day()).isEqualTo(DayOfWeek.WEDNESDAY);
        }

        @Test
        void contentIsValueOrPromotional() {
            String yaml = calendar("content: promotional, mini_program", "content: promo, mini_program");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "promo,", W + "daily[1].content",
                    "unknown content class 'promo' (known: value, promotional)"));
        }

        @Test
        void contentIsRequired() {
            String yaml = calendar("segment: Morning greeting, content: value,", "segment: Morning greeting,");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{at: \"08:30\"", W + "daily[0].content",
                    "missing required field 'content'"));
        }

        @Test
        void cardsNeedThePageTheyOpen() {
            assertThat(Blueprint.load(loader, BASE + CALENDAR).sopCalendar().templates().get("welfare_group_sop")
                    .miniProgramPage()).isEqualTo("pages/picks/index");
            String yaml = calendar("    mini_program_page: pages/picks/index\n", "");
            assertThat(onlyProblem(yaml)).satisfies(p -> {
                assertThat(p.path()).isEqualTo(W + "mini_program_page");
                assertThat(p.message()).isEqualTo("missing required field 'mini_program_page'");
            });
        }

        @Test
        void misspeltSlotKey() {
            String yaml = calendar("mini_program: true", "mini_programme: true");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "mini_programme", W + "daily[1].mini_programme",
                    "unknown key 'mini_programme'; did you mean 'mini_program'?"));
        }

        @Test
        void aTemplateWithoutContent() {
            String yaml = BASE + CALENDAR + "  empty_sop: {}\n";
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{}", "sop_calendar.empty_sop",
                    "an SOP template needs daily: slots or weekly: events"));
        }

        @Test
        void groupTypesTemplateMustBeACalendar() {
            String yaml = calendar("  welfare_group_sop:", "  welfare_grup_sop:");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "welfare_group_sop}",
                    "scrm_config.group_config.types[0].sop_template", "sop_template 'welfare_group_sop' is not in"
                            + " sop_calendar (it has: vip_group_sop, welfare_grup_sop); did you mean 'welfare_grup_sop'?"));
        }

        @Test
        void aBlueprintWithGroupsNeedsItsCalendars() {
            List<ConfigProblem> problems = Blueprint.problems(loader, BASE);
            assertThat(problems).containsExactly(
                    problem(BASE, "welfare_group_sop}", "scrm_config.group_config.types[0].sop_template",
                            "sop_template 'welfare_group_sop' is not in sop_calendar: add the section with this"
                                    + " template's daily and weekly content"),
                    problem(BASE, "vip_group_sop}", "scrm_config.group_config.types[1].sop_template",
                            "sop_template 'vip_group_sop' is not in sop_calendar: add the section with this"
                                    + " template's daily and weekly content"));
        }

        @Test
        void weeklyEventForAGroupOfAnotherTemplate() {
            String yaml = calendar("content: promotional, text: Tonight on Channels}",
                    "content: promotional, text: Tonight on Channels, group_types: [VIP Member Group]}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "VIP Member Group]}\n  vip", W + "weekly[0].group_types[0]",
                    "group type 'VIP Member Group' uses sop_template 'vip_group_sop', so this welfare_group_sop event"
                            + " would never be posted there; move the event to vip_group_sop"));
        }

        @Test
        void weeklyEventForAnUnknownGroupType() {
            String yaml = calendar("group_types: [VIP Member Group]", "group_types: [VIP Members Group]");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "VIP Members Group", "sop_calendar.vip_group_sop"
                    + ".weekly[0].group_types[0]", "unknown group type 'VIP Members Group' (known: VIP Member Group,"
                    + " Welcome Perks Group); did you mean 'VIP Member Group'?"));
        }
    }

    @Nested
    class CommunityAndOffboarding {
        private String with(String section) {
            return BASE + CALENDAR + section;
        }

        @Test
        void absentSectionsMeanTheDefaults() {
            ScrmConfig config = Blueprint.load(loader, BASE + CALENDAR);
            assertThat(config.community()).isEqualTo(Community.DEFAULTS);
            assertThat(config.offboarding()).isEqualTo(Community.Offboarding.DEFAULTS);
        }

        @Test
        void everyFieldIsRead() {
            ScrmConfig config = Blueprint.load(loader, with("""
                    community: {inactive_days: 45, observation_days: 7, max_perks_per_30_days: 2,
                                abnormal_claims_without_purchase: 5, downgrade_tag: dormant_customer}
                    offboarding: {takeover_pools: [live_team, sales_team_east], batch_size: 50, max_transfers_per_90_days: 1}
                    """));
            assertThat(config.community()).isEqualTo(new Community(45, 7, 2, 5, "dormant_customer"));
            assertThat(config.offboarding()).isEqualTo(new Community.Offboarding(List.of("live_team", "sales_team_east"),
                    50, 1));
        }

        @Test
        void fieldsLeftOutKeepTheirDefaults() {
            ScrmConfig config = Blueprint.load(loader, with("community: {observation_days: 0}\noffboarding: {batch_size: 1}\n"));
            assertThat(config.community()).isEqualTo(new Community(30, 0, 3, 3, "dormant_customer"));
            assertThat(config.offboarding()).isEqualTo(new Community.Offboarding(List.of(), 1, 2));
        }

        @Test
        void batchAboveWhatWeComTakes() {
            String yaml = with("offboarding: {batch_size: 101}\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "101", "offboarding.batch_size",
                    "batch_size 101 is outside 1..100 (WeCom transfers at most 100 customers per call)"));
        }

        @Test
        void emptyBatch() {
            assertThat(onlyProblem(with("offboarding: {batch_size: 0}\n")).message())
                    .isEqualTo("batch_size 0 is outside 1..100 (WeCom transfers at most 100 customers per call)");
        }

        @Test
        void moreTransfersThanWeComAllows() {
            assertThat(onlyProblem(with("offboarding: {max_transfers_per_90_days: 3}\n")).message())
                    .isEqualTo("max_transfers_per_90_days 3 is outside 1..2 (WeCom allows a customer to be transferred"
                            + " at most twice in 90 days)");
        }

        @Test
        void takeoverPoolMustHaveStaff() {
            String yaml = with("offboarding: {takeover_pools: [live_teem]}\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "live_teem", "offboarding.takeover_pools[0]",
                    "unknown staff pool 'live_teem' (known: live_team, sales_team_east); did you mean 'live_team'?"));
        }

        @Test
        void downgradeTagMustBeDeclared() {
            String yaml = with("community: {downgrade_tag: inactive}\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "inactive}", "community.downgrade_tag",
                    "unknown tag 'inactive': it is in no tag_system dimension (declare it there)"));
        }

        @Test
        void communityBounds() {
            assertThat(onlyProblem(with("community: {inactive_days: 0}\n")).message())
                    .isEqualTo("inactive_days 0 is outside 1..365");
        }

        @Test
        void misspeltCommunityKey() {
            String yaml = with("community: {inactive_day: 30}\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "inactive_day:", "community.inactive_day",
                    "unknown key 'inactive_day'; did you mean 'inactive_days'?"));
        }
    }

    @Nested
    class RuleConditions {
        private static final String RULES = """
                  auto_tagging_rules:
                    - trigger: 30 days no interaction
                      when: 'customer.days_since_last_interaction >= 30'
                      add_tags: [dormant_customer]
                      remove_tags: [active_customer]
                """;

        private String withRules(String rules) {
            return BASE.replace("  group_config:\n", rules + "  group_config:\n") + CALENDAR;
        }

        @Test
        void whenIsRead() {
            assertThat(Blueprint.load(loader, withRules(RULES)).autoTaggingRules()).containsExactly(
                    new AutoTaggingRule("30 days no interaction", "customer.days_since_last_interaction >= 30",
                            List.of("dormant_customer"), List.of("active_customer")));
        }

        @Test
        void ruleWithoutWhenStillLoads() {
            String rules = RULES.replace("      when: 'customer.days_since_last_interaction >= 30'\n", "");
            assertThat(Blueprint.load(loader, withRules(rules)).autoTaggingRules().get(0).when()).isNull();
        }

        @Test
        void whenWithAnUnclosedParenthesis() {
            String yaml = withRules(RULES.replace("'customer.days", "'(customer.days"));
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "'(customer", "scrm_config.auto_tagging_rules[0].when",
                    "when is not a valid CEL expression: '(' at character 1 is never closed"));
        }
    }
}
