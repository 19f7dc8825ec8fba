package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.channel.Placeholders;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.journey.Action;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.JourneyStep;
import dev.siyu.core.journey.Trigger;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shipped example is the fixture other modules' tests and sample events rely on. */
class ExampleConfigTest {
    // surefire runs in the module directory
    private static final Path EXAMPLE = Path.of("../../config/scrm.example.yaml");

    private ScrmConfig config;

    @BeforeEach
    void load() {
        config = new ConfigLoader().load(EXAMPLE);
    }

    @Test
    void tenantAndTimezone() {
        assertThat(config.tenant()).isEqualTo("demo-brand");
        assertThat(config.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void staffInConfigOrderWithPoolsLimitsAndRoles() {
        assertThat(config.staff()).containsExactly(
                new StaffMember("zhangsan", "Zhang San", List.of("sales_team_east"), 200),
                new StaffMember("lisi", "Li Si", List.of("sales_team_east"), 200, List.of("senior_advisor")),
                new StaffMember("wangwu", "Wang Wu", List.of("live_team"), 300),
                new StaffMember("zhaoliu", "Zhao Liu", List.of("live_team"), 300),
                new StaffMember("sunqi", "Sun Qi", List.of("live_team"), 300),
                new StaffMember("zhouba", "Zhou Ba", List.of("store_staff_shanghai"), 100),
                new StaffMember("wujiu", "Wu Jiu", List.of("store_staff_hangzhou"), 100),
                new StaffMember("zhengshi", "Zheng Shi", List.of("store_staff_hangzhou"), 100));
        assertThat(config.pool("live_team")).extracting(StaffMember::userId)
                .containsExactly("wangwu", "zhaoliu", "sunqi");
        assertThat(config.pool("store_staff_hangzhou")).extracting(StaffMember::userId)
                .containsExactly("wujiu", "zhengshi");
    }

    @Test
    void stores() {
        assertThat(config.stores()).containsExactly(
                new Store("sh01", "Jing'an Flagship", "shanghai"),
                new Store("hz01", "West Lake Store", "hangzhou"));
    }

    @Test
    void packageInsertCodeTakesItsStateFromChannelTracking() {
        ChannelCodeSpec code = config.channelCodes().get(0);
        assertThat(code.name()).isEqualTo("Package Insert - East China Warehouse");
        assertThat(code.type()).isEqualTo(RoutingType.AUTO_ASSIGN);
        assertThat(code.staffPools()).containsExactly("sales_team_east");
        assertThat(code.welcomeMessage()).isEqualTo("Hi~ I'm your dedicated advisor {staff_name}. Thanks for your"
                + " purchase! Reply 1 for a VIP community invite, reply 2 for a product guide");
        assertThat(code.autoTags()).containsExactly("package_insert", "east_china", "new_customer");
        assertThat(code.channelTracking()).isEqualTo("parcel_card_east");
        assertThat(code.state()).isEqualTo("parcel_card_east");
    }

    @Test
    void livestreamCodeRotatesThroughLiveTeam() {
        ChannelCodeSpec code = config.channelCodes().get(1);
        assertThat(code.name()).isEqualTo("Livestream QR Code");
        assertThat(code.type()).isEqualTo(RoutingType.ROUND_ROBIN);
        assertThat(code.staffPools()).containsExactly("live_team");
        assertThat(code.welcomeMessage()).isEqualTo("Hey, thanks for joining from the livestream! Send"
                + " 'livestream perk' to claim your exclusive coupon~");
        assertThat(code.autoTags()).containsExactly("livestream_referral", "high_intent");
        assertThat(code.state()).isEqualTo("livestream_qr");
        assertThat(code.channelTracking()).isEqualTo("livestream_qr");
    }

    @Test
    void inStoreCodeHasOneStatePerStore() {
        ChannelCodeSpec code = config.channelCodes().get(2);
        assertThat(code.name()).isEqualTo("In-Store QR Code");
        assertThat(code.type()).isEqualTo(RoutingType.LOCATION_BASED);
        assertThat(code.staffPools()).containsExactly("store_staff_{city}");
        assertThat(code.welcomeMessage()).isEqualTo("Welcome to {store_name}! I'm your dedicated shopping advisor"
                + " - reach out anytime you need anything");
        assertThat(code.autoTags()).containsExactly("in_store_customer", "{city}", "{store_name}");
        assertThat(code.state()).isEqualTo("in_store");
        Store shanghai = config.store("sh01").orElseThrow();
        Store hangzhou = config.store("hz01").orElseThrow();
        assertThat(code.stateAt(shanghai)).isEqualTo("in_store.sh01");
        assertThat(code.stateAt(hangzhou)).isEqualTo("in_store.hz01");
        assertThat(code.poolsAt(shanghai)).containsExactly("store_staff_shanghai");
        assertThat(config.pool(code.poolsAt(hangzhou).get(0))).extracting(StaffMember::userId)
                .containsExactly("wujiu", "zhengshi");
    }

    @Test
    void everyWelcomeMessageAndTagRendersWithTheValuesTheCallbackHas() {
        Map<String, String> values = Map.of(Placeholders.STAFF_NAME, "Zhou Ba",
                Placeholders.STORE_NAME, "Jing'an Flagship", Placeholders.CITY, "shanghai");
        assertThat(Placeholders.render(config.channelCodes().get(2).welcomeMessage(), values))
                .isEqualTo("Welcome to Jing'an Flagship! I'm your dedicated shopping advisor - reach out anytime you"
                        + " need anything");
        assertThat(config.channelCodes().get(2).autoTags()).extracting(t -> Placeholders.render(t, values))
                .containsExactly("in_store_customer", "shanghai", "Jing'an Flagship");
        assertThat(Placeholders.render(config.channelCodes().get(0).welcomeMessage(),
                Map.of(Placeholders.STAFF_NAME, "Zhang San")))
                .startsWith("Hi~ I'm your dedicated advisor Zhang San. Thanks");
    }

    @Test
    void tagSystemHasTheSeedsFourDimensions() {
        TagSystem tags = config.tagSystem();
        assertThat(tags.dimensions()).extracting(TagSystem.TagDimension::name)
                .containsExactly("Customer Source", "Spending Tier", "Lifecycle Stage", "Interest Preference");
        assertThat(tags.dimension("Customer Source").orElseThrow().tags())
                .containsExactly("package_insert", "livestream", "in_store", "sms", "referral", "organic_search");
        assertThat(tags.dimension("Spending Tier").orElseThrow().tags())
                .startsWith("high_aov(>500)", "mid_aov(200-500)", "low_aov(<200)")
                .contains("high_value_customer", "vip_candidate");
        assertThat(tags.dimension("Lifecycle Stage").orElseThrow().tags())
                .containsExactly("new_customer", "active_customer", "dormant_customer", "churn_warning", "churned");
        assertThat(tags.dimension("Interest Preference").orElseThrow().tags())
                .containsExactly("skincare", "cosmetics", "personal_care", "baby_care", "health");
        assertThat(tags.groupOf("new_customer")).isEqualTo("Lifecycle Stage");
        assertThat(tags.groupOf("east_china")).isEqualTo(TagSystem.AUTO_TAG_GROUP);
    }

    @Test
    void autoTaggingRulesCarryTheirConditionAsCel() {
        assertThat(config.autoTaggingRules()).containsExactly(
                new AutoTaggingRule("First purchase completed", "customer.has_purchased", List.of("new_customer"),
                        List.of()),
                new AutoTaggingRule("30 days no interaction", "customer.days_since_last_interaction >= 30",
                        List.of("dormant_customer"), List.of("active_customer")),
                new AutoTaggingRule("Cumulative spend > 2000", "customer.total_spend > 2000.0",
                        List.of("high_value_customer", "vip_candidate"), List.of()));
    }

    @Test
    void groupTypesWithTheVipConditionAsCel() {
        assertThat(config.groupTypes()).containsExactly(
                new GroupType("Welcome Perks Group", 200, "", "Welcome! We share daily product picks and exclusive"
                        + " deals here. Check the pinned post for group guidelines~", "welfare_group_sop", null,
                        new GroupType.Match(java.util.Set.of(), "(?i)perks")),
                new GroupType("VIP Member Group", 100, "customer.total_spend > 1000.0 || \"VIP\" in customer.tags",
                        "Congrats on becoming a VIP member! Enjoy exclusive discounts, early access to new products,"
                                + " and 1-on-1 advisor service", "vip_group_sop",
                        "You're invited to our {group_type}: early access and member prices. Tap to join.",
                        new GroupType.Match(java.util.Set.of(), "(?i)^VIP")));
    }

    @Test
    void guardrailsAreTheSeedsDefaultsSpelledOut() {
        assertThat(config.guardrails()).isEqualTo(Guardrails.DEFAULTS);
    }

    @Test
    void theSeedsFourFlowsAndTheOnboardingSop() {
        assertThat(config.journeys()).extracting(Journey::name).containsExactly("new_customer_activation",
                "repurchase_reminder", "dormant_reactivation", "churn_early_warning", "new_member_onboarding");
    }

    @Test
    void newCustomerActivation() {
        Journey j = config.journey("new_customer_activation").orElseThrow();
        assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.EVENT, "contact_added", null, "Added as WeCom friend"));
        assertThat(j.goal()).isEqualTo(new Journey.Goal("first_purchase", Duration.ofDays(7)));
        assertThat(j.anchor()).isEqualTo(Journey.ANCHOR_EVENT);
        assertThat(j.restart()).isFalse();
        assertThat(j.exitWhen()).isNull();
        assertThat(j.steps()).extracting(JourneyStep::delay, JourneyStep::fromCycle, JourneyStep::condition,
                s -> s.action().type()).containsExactly(
                tuple(Duration.ZERO, false, null, "message"),
                tuple(Duration.ofMinutes(30), false, null, "message"),
                tuple(Duration.ofHours(24), false, null, "group_invite"),
                tuple(Duration.ofHours(48), false, "!customer.has_purchased", "coupon"),
                tuple(Duration.ofHours(72), false, "!customer.has_purchased", "staff_task"),
                tuple(Duration.ofDays(7), false, "!customer.has_purchased", "message"));
        assertThat(j.steps().get(1).action()).isInstanceOfSatisfying(Action.SendMessage.class, m -> {
            assertThat(m.kind()).isEqualTo(Action.MessageKind.MINIPROGRAM);
            assertThat(m.content()).isEqualTo(ContentClass.VALUE);
        });
        assertThat(j.steps().get(2).action()).isEqualTo(new Action.GroupInvite("Welcome Perks Group",
                "We share daily tips and member-only deals in our perks group. Tap to join if you like!"));
        assertThat(((Action.IssueCoupon) j.steps().get(3).action()).coupon()).isEqualTo("first_purchase_30_off_99");
        assertThat(j.steps().get(4).action()).isInstanceOfSatisfying(Action.StaffTask.class, t -> {
            assertThat(t.task()).isEqualTo("needs_diagnosis");
            assertThat(t.content()).isEqualTo(ContentClass.VALUE);
            assertThat(t.senior()).isFalse();
        });
        assertThat(((Action.SendMessage) j.steps().get(5).action()).content()).isEqualTo(ContentClass.PROMOTIONAL);
        assertThat(j.steps().get(4).label()).isEqualTo("1-on-1 needs diagnosis");
    }

    @Test
    void repurchaseReminderFollowsTheConsumptionCycle() {
        Journey j = config.journey("repurchase_reminder").orElseThrow();
        assertThat(j.trigger().kind()).isEqualTo(Trigger.Kind.EVENT);
        assertThat(j.trigger().event()).isEqualTo("purchase");
        assertThat(j.restart()).isTrue();
        assertThat(j.cycles()).isEqualTo(Map.of("skincare", Duration.ofDays(30), "cosmetics", Duration.ofDays(45),
                "personal_care", Duration.ofDays(30), "baby_care", Duration.ofDays(14), "health", Duration.ofDays(60)));
        assertThat(j.defaultCycle()).isEqualTo(Duration.ofDays(30));
        assertThat(j.steps()).extracting(JourneyStep::delay, JourneyStep::fromCycle, s -> s.action().type())
                .containsExactly(
                        tuple(Duration.ofDays(-7), true, "message"),
                        tuple(Duration.ofDays(-3), true, "message"),
                        tuple(Duration.ZERO, true, "staff_task"));
        assertThat(((Action.SendMessage) j.steps().get(0).action()).content()).isEqualTo(ContentClass.VALUE);
        assertThat(((Action.SendMessage) j.steps().get(0).action()).kind()).isEqualTo(Action.MessageKind.LINK);
        assertThat(((Action.SendMessage) j.steps().get(1).action()).content()).isEqualTo(ContentClass.PROMOTIONAL);
        assertThat(((Action.StaffTask) j.steps().get(2).action()).task()).isEqualTo("restock_reminder");
        // a baby-care purchase on day 0: survey on day 7, offer on day 11, restock call on day 14
        Instant bought = Instant.parse("2026-03-01T02:00:00Z");
        Duration babyCare = j.cycleFor("baby_care").orElseThrow();
        assertThat(j.steps()).extracting(s -> s.dueAt(bought, babyCare)).containsExactly(
                bought.plus(Duration.ofDays(7)), bought.plus(Duration.ofDays(11)), bought.plus(Duration.ofDays(14)));
    }

    @Test
    void dormantReactivationCountsFromTheLastActivity() {
        Journey j = config.journey("dormant_reactivation").orElseThrow();
        assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.CONDITION, null,
                "customer.days_since_last_interaction >= 30 && customer.days_since_last_purchase >= 30",
                "30 days with no interaction and no purchase"));
        assertThat(j.anchor()).isEqualTo(Journey.ANCHOR_LAST_ACTIVITY);
        assertThat(j.exitWhen()).isEqualTo("customer.last_interaction_at > run.started_at");
        assertThat(j.goal()).isEqualTo(new Journey.Goal("reply", Duration.ofDays(90)));
        assertThat(j.steps()).extracting(JourneyStep::delay, JourneyStep::condition).containsExactly(
                tuple(Duration.ofDays(30), null),
                tuple(Duration.ofDays(45), null),
                tuple(Duration.ofDays(60), null),
                tuple(Duration.ofDays(90), "customer.last_interaction_at <= run.started_at"));
        assertThat(((Action.MomentsPost) j.steps().get(0).action()).visibleToTag()).isEqualTo("dormant_customer");
        assertThat(((Action.IssueCoupon) j.steps().get(1).action()).coupon()).isEqualTo("comeback_20");
        assertThat(j.steps().get(2).action()).isInstanceOfSatisfying(Action.StaffTask.class, t -> {
            assertThat(t.task()).isEqualTo("care_message");
            assertThat(t.content()).isEqualTo(ContentClass.VALUE);
        });
        assertThat(j.steps().get(3).action()).isEqualTo(new Action.LowerPriority());
    }

    @Test
    void churnEarlyWarningGoesToASeniorAdvisor() {
        Journey j = config.journey("churn_early_warning").orElseThrow();
        assertThat(j.trigger().kind()).isEqualTo(Trigger.Kind.SCORE);
        assertThat(j.trigger().condition()).isEqualTo("customer.churn_score > 0.7");
        assertThat(j.steps()).singleElement().satisfies(s -> {
            assertThat(s.delay()).isZero();
            assertThat(s.action()).isInstanceOfSatisfying(Action.StaffTask.class, t -> {
                assertThat(t.task()).isEqualTo("churn_follow_up");
                assertThat(t.senior()).isTrue();
            });
        });
    }

    @Test
    void newMemberOnboardingIsTheSeeds72HourSop() {
        Journey j = config.journey("new_member_onboarding").orElseThrow();
        assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.EVENT, "joined_group",
                "event.group_type == \"Welcome Perks Group\"", "Joined the Welcome Perks Group"));
        assertThat(j.steps()).extracting(JourneyStep::delay, s -> s.action().type()).containsExactly(
                tuple(Duration.ZERO, "group_message"),
                tuple(Duration.ofMinutes(30), "group_message"),
                tuple(Duration.ofHours(2), "coupon"),
                tuple(Duration.ofHours(24), "message"),
                tuple(Duration.ofHours(72), "message"));
        assertThat(((Action.IssueCoupon) j.steps().get(2).action()).coupon()).isEqualTo("new_member_20_off_99");
        assertThat(j.steps()).extracting(JourneyStep::action).filteredOn(a -> !(a instanceof Action.IssueCoupon))
                .allSatisfy(a -> assertThat(a.toString()).contains("content=VALUE"));
    }

    @Test
    void welfareGroupCalendarHasTheSeedsSixSlotsAndFourWeeklyEvents() {
        SopCalendar.Template t = config.sopCalendar().templates().get("welfare_group_sop");
        assertThat(t.daily()).extracting(SopCalendar.Slot::at, SopCalendar.Slot::segment, SopCalendar.Slot::content,
                SopCalendar.Slot::miniProgram).containsExactly(
                tuple(LocalTime.of(8, 30), "Morning greeting", ContentClass.VALUE, false),
                tuple(LocalTime.of(10, 0), "Product spotlight", ContentClass.VALUE, true),
                tuple(LocalTime.of(12, 30), "Midday engagement", ContentClass.VALUE, false),
                tuple(LocalTime.of(15, 0), "Flash sale", ContentClass.PROMOTIONAL, true),
                tuple(LocalTime.of(19, 30), "Customer showcase", ContentClass.VALUE, false),
                tuple(LocalTime.of(21, 0), "Evening perk", ContentClass.VALUE, false));
        assertThat(t.weekly()).extracting(SopCalendar.WeeklyEvent::day, SopCalendar.WeeklyEvent::event,
                SopCalendar.WeeklyEvent::content).containsExactly(
                tuple(DayOfWeek.MONDAY, "New product early access", ContentClass.VALUE),
                tuple(DayOfWeek.WEDNESDAY, "Livestream preview + exclusive coupon", ContentClass.PROMOTIONAL),
                tuple(DayOfWeek.FRIDAY, "Weekend stock-up day", ContentClass.PROMOTIONAL),
                tuple(DayOfWeek.SUNDAY, "Weekly best-sellers", ContentClass.VALUE));
        // a week of posts: 7 x 6 daily + 4 weekly, of which 7 + 2 promotional
        long promotional = 7 * t.daily().stream().filter(s -> s.content() == ContentClass.PROMOTIONAL).count()
                + t.weekly().stream().filter(e -> e.content() == ContentClass.PROMOTIONAL).count();
        assertThat((double) promotional / (7 * t.daily().size() + t.weekly().size())).isLessThan(0.30);
    }

    @Test
    void everyGroupTypesTemplateIsACalendar() {
        assertThat(config.sopCalendar().templates()).containsOnlyKeys("welfare_group_sop", "vip_group_sop");
        SopCalendar.Template vip = config.sopCalendar().templates().get("vip_group_sop");
        assertThat(vip.weekly()).extracting(SopCalendar.WeeklyEvent::day, SopCalendar.WeeklyEvent::event)
                .contains(tuple(DayOfWeek.MONDAY, "New product early access"));
        assertThat(config.groupTypes()).allSatisfy(g ->
                assertThat(config.sopCalendar().templates()).containsKey(g.sopTemplate()));
    }

    @Test
    void communityAndOffboarding() {
        assertThat(config.community()).isEqualTo(new Community(30, 3, 3, 3, "dormant_customer"));
        assertThat(config.offboarding()).isEqualTo(new Community.Offboarding(List.of("sales_team_east"), 100, 2));
    }
}
