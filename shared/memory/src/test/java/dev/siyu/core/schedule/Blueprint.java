package dev.siyu.core.schedule;

import dev.siyu.core.config.AutoTaggingRule;
import dev.siyu.core.config.Community;
import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.SopCalendar.Slot;
import dev.siyu.core.config.SopCalendar.WeeklyEvent;
import dev.siyu.core.config.SopCalendar;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.config.TagSystem.TagDimension;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The seed's blueprint as records, built directly (the loader's parsing of these sections is another issue). */
final class Blueprint {
    static final String TENANT = "acme";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String PERKS = "Welcome Perks Group";
    static final String VIP = "VIP Member Group";
    static final String FANS = "Livestream Fans Group";
    static final String VIP_CONDITION = "customer.total_spend > 1000.0 || \"VIP\" in customer.tags";

    private Blueprint() {
    }

    static Instant at(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
    }

    static Instant at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(ZONE).toInstant();
    }

    static TagSystem tagSystem() {
        return new TagSystem(List.of(
                new TagDimension("Customer Source", List.of("package_insert", "livestream", "in_store")),
                new TagDimension("Spending Tier", List.of("high_value_customer", "vip_candidate")),
                new TagDimension("Lifecycle Stage", List.of("new_customer", "active_customer", "dormant_customer",
                        "churn_warning", "churned")),
                new TagDimension("Community", List.of("group_inactive"))));
    }

    /** The seed's rules, each with the condition an operator writes for it. */
    static List<AutoTaggingRule> rules() {
        return List.of(
                new AutoTaggingRule("First purchase completed", "customer.has_purchased", List.of("new_customer"),
                        List.of()),
                new AutoTaggingRule("30 days no interaction", "customer.days_since_last_interaction >= 30",
                        List.of("dormant_customer"), List.of("active_customer")),
                new AutoTaggingRule("Cumulative spend > 2000", "customer.total_spend > 2000.0",
                        List.of("high_value_customer", "vip_candidate"), List.of()));
    }

    static List<GroupType> groupTypes(int vipMax) {
        return List.of(
                new GroupType(PERKS, 200, null, "Welcome!", "welfare_group_sop"),
                new GroupType(VIP, vipMax, VIP_CONDITION, "Congrats on becoming a VIP member!", "vip_group_sop",
                        "Congrats! You're invited to our {group_type}: exclusive prices and early access."),
                new GroupType(FANS, 500, null, "Welcome, fans!", "welfare_group_sop"));
    }

    /** The seed's perks group day and weekly events. */
    static SopCalendar calendar() {
        List<Slot> day = List.of(
                new Slot(LocalTime.of(8, 30), "Morning greeting", "Good morning! Today's weather and a skincare tip",
                        ContentClass.VALUE, false),
                new Slot(LocalTime.of(10, 0), "Product spotlight", "In-depth review: our hydrating serum",
                        ContentClass.VALUE, true),
                new Slot(LocalTime.of(12, 30), "Midday engagement", "Poll: guess the price!", ContentClass.VALUE, false),
                new Slot(LocalTime.of(15, 0), "Flash sale", "Flash sale, 30 units only", ContentClass.PROMOTIONAL, true),
                new Slot(LocalTime.of(19, 30), "Customer showcase", "Your photos this week", ContentClass.VALUE, false),
                new Slot(LocalTime.of(21, 0), "Evening perk", "Tomorrow's preview + red envelope password",
                        ContentClass.PROMOTIONAL, false));
        List<WeeklyEvent> welfareWeekly = List.of(
                new WeeklyEvent(DayOfWeek.WEDNESDAY, LocalTime.of(11, 0), "Livestream preview + exclusive coupon",
                        "Tonight on Channels: exclusive coupon inside", ContentClass.PROMOTIONAL, List.of(FANS)),
                new WeeklyEvent(DayOfWeek.FRIDAY, LocalTime.of(11, 0), "Weekend stock-up day", "Bundle deals all weekend",
                        ContentClass.PROMOTIONAL, List.of()),
                new WeeklyEvent(DayOfWeek.SUNDAY, LocalTime.of(18, 0), "Weekly best-sellers", "This week's top 5 + next"
                        + " week's preview", ContentClass.VALUE, List.of()));
        List<WeeklyEvent> vipWeekly = List.of(
                new WeeklyEvent(DayOfWeek.MONDAY, LocalTime.of(10, 30), "New product early access",
                        "VIP-only early access price", ContentClass.PROMOTIONAL, List.of(VIP)));
        return new SopCalendar(Map.of(
                "welfare_group_sop", new SopCalendar.Template("welfare_group_sop", day, welfareWeekly, "pages/picks/index"),
                "vip_group_sop", new SopCalendar.Template("vip_group_sop", List.of(), vipWeekly)));
    }

    static List<StaffMember> staff() {
        return List.of(
                new StaffMember("amy", "Amy", List.of("live_team"), 200),
                new StaffMember("ben", "Ben", List.of("live_team"), 200),
                new StaffMember("cai", "Cai", List.of("live_team"), 200),
                new StaffMember("dan", "Dan", List.of("sales_team_east"), 200),
                new StaffMember("eve", "Eve", List.of("service_desk"), 200),
                new StaffMember("fay", "Fay", List.of("service_desk"), 200));
    }

    static final Community COMMUNITY = new Community(30, 3, 3, 3, "group_inactive");
    static final Community.Offboarding OFFBOARDING = new Community.Offboarding(List.of("service_desk"), 100, 2);

    static ScrmConfig config() {
        return config(Guardrails.DEFAULTS, 100);
    }

    static ScrmConfig config(Guardrails guardrails, int vipMax) {
        return new ScrmConfig(TENANT, ZONE, staff(), List.of(), List.of(), tagSystem(), rules(), groupTypes(vipMax),
                guardrails, List.of(), calendar(), COMMUNITY, OFFBOARDING);
    }

    static ScrmConfig withRules(List<AutoTaggingRule> rules) {
        return new ScrmConfig(TENANT, ZONE, staff(), List.of(), List.of(), tagSystem(), rules, groupTypes(100),
                Guardrails.DEFAULTS, List.of(), calendar(), COMMUNITY, OFFBOARDING);
    }

    /** Business hours that close at 22:00, so the seed's 21:00 slot fits. */
    static Guardrails hoursUntil22() {
        return Guardrails.DEFAULTS.withBusinessHours(new BusinessHours(LocalTime.of(9, 0), LocalTime.of(22, 0)));
    }

    /** A customer added through the livestream code to a staff member, nothing done since. */
    static CustomerProfile customer(String id, String staff, Instant added) {
        return new CustomerProfile(TENANT, id, "Customer " + id, null, "livestream_qr", "Livestream QR Code", null, null,
                Set.of(), Map.of(staff, StaffRelationship.started(staff, "livestream_qr", added, false)),
                Map.of("external_userid", "ext-" + id), added, added);
    }

    static CustomerProfile withActivity(CustomerProfile p, Activity a) {
        return p.withActivity(a, p.updatedAt());
    }

    static CustomerProfile withTags(CustomerProfile p, String... tags) {
        return p.withTags(Set.of(tags), Set.of(), p.updatedAt());
    }
}
