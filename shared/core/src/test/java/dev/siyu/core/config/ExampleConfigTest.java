package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.channel.Placeholders;
import dev.siyu.core.gate.Guardrails;
import java.nio.file.Path;
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
    void staffInConfigOrderWithPoolsAndLimits() {
        assertThat(config.staff()).containsExactly(
                new StaffMember("zhangsan", "Zhang San", List.of("sales_team_east"), 200),
                new StaffMember("lisi", "Li Si", List.of("sales_team_east"), 200),
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
    void autoTaggingRules() {
        assertThat(config.autoTaggingRules()).containsExactly(
                new AutoTaggingRule("First purchase completed", List.of("new_customer"), List.of()),
                new AutoTaggingRule("30 days no interaction", List.of("dormant_customer"), List.of("active_customer")),
                new AutoTaggingRule("Cumulative spend > 2000", List.of("high_value_customer", "vip_candidate"),
                        List.of()));
    }

    @Test
    void groupTypesWithTheVipConditionAsCel() {
        assertThat(config.groupTypes()).containsExactly(
                new GroupType("Welcome Perks Group", 200, "", "Welcome! We share daily product picks and exclusive"
                        + " deals here. Check the pinned post for group guidelines~", "welfare_group_sop"),
                new GroupType("VIP Member Group", 100, "customer.total_spend > 1000.0 || \"VIP\" in customer.tags",
                        "Congrats on becoming a VIP member! Enjoy exclusive discounts, early access to new products,"
                                + " and 1-on-1 advisor service", "vip_group_sop"));
    }

    @Test
    void guardrailsAreTheSeedsDefaultsSpelledOut() {
        assertThat(config.guardrails()).isEqualTo(Guardrails.DEFAULTS);
    }
}
