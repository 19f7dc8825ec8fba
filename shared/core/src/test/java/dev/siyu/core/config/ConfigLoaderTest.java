package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.gate.Guardrails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GIVEN a small valid config with one mistake put in, WHEN it is loaded, THEN the problem names the
 * field's path and its line and column. Mistakes are made by replacing one line with one line, so
 * the line numbers below stay those of BASE.
 */
class ConfigLoaderTest {
    private static final String SOURCE = "test.yaml";

    private static final String BASE = """
            tenant: demo
            timezone: Asia/Shanghai
            staff:
              - user_id: zhangsan
                name: Zhang San
                pools: [sales_team_east]
                daily_add_limit: 200
              - user_id: wangwu
                name: Wang Wu
                pools: [live_team, store_staff_shanghai]
                daily_add_limit: 300
            stores:
              - store_id: sh01
                store_name: Jing'an Flagship
                city: shanghai
            scrm_config:
              channel_codes:
                - name: Package Insert
                  type: auto_assign
                  staff_pool: [sales_team_east]
                  welcome_message: "Hi, I'm {staff_name}"
                  auto_tags: [package_insert]
                  channel_tracking: parcel_card_east
                - name: Livestream QR Code
                  type: round_robin
                  staff_pool:
                    - live_team
                  welcome_message: Thanks for joining from the livestream
                  state: livestream_qr
                - name: In-Store QR Code
                  type: location_based
                  staff_pool: ["store_staff_{city}"]
                  welcome_message: "Welcome to {store_name}"
                  auto_tags: [in_store_customer, "{city}"]
                  state: in_store
              tag_system:
                dimensions:
                  - name: Customer Source
                    tags: [package_insert, livestream]
                  - name: Lifecycle Stage
                    tags: [new_customer, active_customer, dormant_customer]
              auto_tagging_rules:
                - trigger: 30 days no interaction
                  add_tags: [dormant_customer]
                  remove_tags: [active_customer]
              group_config:
                types:
                  - name: VIP Member Group
                    max_members: 100
                    entry_condition: 'customer.total_spend > 1000.0 || "VIP" in customer.tags'
                    auto_welcome: Congrats
                    sop_template: vip_group_sop
                    invite_text: "You're invited to our {group_type}"
            sop_calendar:
              vip_group_sop:
                daily:
                  - {at: "09:30", segment: Morning brief, content: value, text: Good morning}
            """;

    private final ConfigLoader loader = new ConfigLoader();

    /** BASE with one exact text replaced; fails loudly if the text is not there once, so no test is vacuous. */
    private static String with(String original, String replacement) {
        assertThat(BASE.split(Pattern.quote(original), -1)).as("occurrences of " + original).hasSize(2);
        return BASE.replace(original, replacement);
    }

    private List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(yaml, SOURCE));
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.problems();
    }

    private ConfigProblem onlyProblem(String yaml) {
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private static ConfigProblem problem(String path, int line, int column, String message) {
        return new ConfigProblem(SOURCE, path, line, column, message);
    }

    @Test
    void baseConfigIsValid() {
        ScrmConfig config = loader.load(BASE, SOURCE);
        assertThat(config.channelCodes()).extracting(ChannelCodeSpec::state)
                .containsExactly("parcel_card_east", "livestream_qr", "in_store");
    }

    @Test
    void problemPrintsAsSourceLineColumnPathMessage() {
        assertThat(problem("scrm_config.channel_codes[1].staff_pool[0]", 42, 7, "unknown staff pool 'x'"))
                .hasToString("test.yaml:42:7: scrm_config.channel_codes[1].staff_pool[0]: unknown staff pool 'x'");
        assertThat(problem("", 1, 1, "the config is empty")).hasToString("test.yaml:1:1: the config is empty");
    }

    @Nested
    class Structure {
        @Test
        void missingRequiredFieldIsReportedWhereItsParentStarts() {
            assertThat(onlyProblem(with("    daily_add_limit: 200\n", "")))
                    .isEqualTo(problem("staff[0].daily_add_limit", 4, 5, "missing required field 'daily_add_limit'"));
        }

        @Test
        void missingSection() {
            String yaml = "tenant: demo\ntimezone: Asia/Shanghai\nstaff:\n  - {user_id: a, name: A, pools: [p], daily_add_limit: 1}\n";
            assertThat(onlyProblem(yaml)).isEqualTo(problem("scrm_config", 1, 1, "missing required field 'scrm_config'"));
        }

        @Test
        void keyWithoutValue() {
            assertThat(onlyProblem(with("    name: Zhang San", "    name:")))
                    .isEqualTo(problem("staff[0].name", 5, 5, "'name' has no value"));
        }

        @Test
        void bareStringWhereAListBelongs() {
            assertThat(onlyProblem(with("auto_tags: [package_insert]", "auto_tags: package_insert")))
                    .isEqualTo(problem("scrm_config.channel_codes[0].auto_tags", 22, 18,
                            "expected a list of strings, got the string 'package_insert'; write it as a list: [package_insert]"));
        }

        @Test
        void wordWhereANumberBelongs() {
            assertThat(onlyProblem(with("daily_add_limit: 200", "daily_add_limit: lots")))
                    .isEqualTo(problem("staff[0].daily_add_limit", 7, 22, "expected a whole number, got the string 'lots'"));
        }

        @Test
        void quotedNumberIsAString() {
            assertThat(onlyProblem(with("max_members: 100", "max_members: \"100\"")))
                    .isEqualTo(problem("scrm_config.group_config.types[0].max_members", 49, 22,
                            "expected a whole number, got the string '100'"));
        }

        @Test
        void listWhereAStringBelongs() {
            assertThat(onlyProblem(with("type: auto_assign", "type: [auto_assign]")))
                    .isEqualTo(problem("scrm_config.channel_codes[0].type", 19, 13, "expected a string, got a list"));
        }

        @Test
        void unknownTopLevelKeySuggestsTheClosestOne() {
            assertThat(problems(with("timezone: Asia/Shanghai", "timezon: Asia/Shanghai"))).containsExactly(
                    problem("timezone", 1, 1, "missing required field 'timezone'"),
                    problem("timezon", 2, 1, "unknown key 'timezon'; did you mean 'timezone'?"));
        }

        @Test
        void unknownSectionKeyWithoutACloseOneListsTheKnownKeys() {
            assertThat(onlyProblem(with("      state: livestream_qr", "      state: livestream_qr\n      colour: red")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].colour", 30, 7, "unknown key 'colour' (known: name,"
                            + " type, staff_pool, welcome_message, auto_tags, channel_tracking, state)"));
        }

        @Test
        void misspeltFieldInAChannelCode() {
            assertThat(problems(with("welcome_message: Thanks", "welcome_mesage: Thanks"))).containsExactly(
                    problem("scrm_config.channel_codes[1].welcome_message", 24, 7, "missing required field 'welcome_message'"),
                    problem("scrm_config.channel_codes[1].welcome_mesage", 28, 7,
                            "unknown key 'welcome_mesage'; did you mean 'welcome_message'?"));
        }

        @Test
        void sectionsOfOtherPartsOfTheSuiteAreAccepted() {
            String yaml = BASE + "scoring:\n  weights: {}\n";
            assertThat(loader.load(yaml, SOURCE).tenant()).isEqualTo("demo");
        }

        @Test
        void duplicateKey() {
            assertThat(onlyProblem(with("    name: Wang Wu", "    name: Wang Wu\n    name: Wang Liu")))
                    .isEqualTo(problem("staff[1].name", 10, 5, "duplicate key 'name' (first at line 9)"));
        }

        @Test
        void yamlSyntaxErrorHasItsLine() {
            ConfigProblem problem = onlyProblem(with("    store_name: Jing'an Flagship", "    store_name: [Jing'an"));
            assertThat(problem.path()).isEmpty();
            assertThat(problem.line()).isEqualTo(15);
            assertThat(problem.message()).startsWith("YAML syntax: ");
        }

        @Test
        void emptyConfigIsOneClearProblem() {
            String message = "the config is empty; expected a mapping with tenant, timezone, staff, stores, scrm_config";
            assertThat(onlyProblem("")).isEqualTo(problem("", 1, 1, message));
            assertThat(onlyProblem("# nothing yet\n")).isEqualTo(problem("", 1, 1, message));
        }

        @Test
        void topLevelListIsRejected() {
            assertThat(onlyProblem("- tenant: demo\n")).isEqualTo(problem("", 1, 1,
                    "the config must be a mapping with tenant, timezone, staff, stores, scrm_config, got a list"));
        }
    }

    @Nested
    class Tenant {
        @Test
        void tenantMustFitInTableKeys() {
            assertThat(onlyProblem(with("tenant: demo", "tenant: Demo#Brand")))
                    .isEqualTo(problem("tenant", 1, 9, "tenant 'Demo#Brand' must be 1-64 lowercase letters, digits,"
                            + " '-' or '_' (it is part of every table key)"));
        }

        @Test
        void invalidTimezoneSuggestsTheIntendedOne() {
            assertThat(onlyProblem(with("timezone: Asia/Shanghai", "timezone: Asia/Shanghia")))
                    .isEqualTo(problem("timezone", 2, 11, "unknown time zone 'Asia/Shanghia'; use an IANA name such as"
                            + " Asia/Shanghai; did you mean 'Asia/Shanghai'?"));
        }
    }

    @Nested
    class Staff {
        @Test
        void dailyAddLimitBelowOne() {
            assertThat(onlyProblem(with("daily_add_limit: 200", "daily_add_limit: 0")))
                    .isEqualTo(problem("staff[0].daily_add_limit", 7, 22, "daily_add_limit 0 is outside 1..10000"));
        }

        @Test
        void dailyAddLimitAboveTenThousand() {
            assertThat(onlyProblem(with("daily_add_limit: 300", "daily_add_limit: 10001")))
                    .isEqualTo(problem("staff[1].daily_add_limit", 11, 22, "daily_add_limit 10001 is outside 1..10000"));
        }

        @Test
        void dailyAddLimitBoundsAreAllowed() {
            String yaml = with("daily_add_limit: 200", "daily_add_limit: 1").replace("daily_add_limit: 300",
                    "daily_add_limit: 10000");
            assertThat(loader.load(yaml, SOURCE).staff()).extracting(StaffMember::dailyAddLimit).containsExactly(1, 10000);
        }

        @Test
        void duplicateUserId() {
            assertThat(onlyProblem(with("user_id: wangwu", "user_id: zhangsan")))
                    .isEqualTo(problem("staff[1].user_id", 8, 14, "duplicate user_id 'zhangsan' (first at line 4)"));
        }

        @Test
        void rolesAreReadAndOptional() {
            String yaml = with("daily_add_limit: 300", "daily_add_limit: 300\n    roles: [senior_advisor]");
            assertThat(loader.load(yaml, SOURCE).staff()).extracting(StaffMember::userId, StaffMember::seniorAdvisor)
                    .containsExactly(tuple("zhangsan", false), tuple("wangwu", true));
        }

        @Test
        void unknownRoleIsReportedAtItsLineWithTheKnownOnes() {
            assertThat(onlyProblem(with("daily_add_limit: 300", "daily_add_limit: 300\n    roles: [senior_advsior]")))
                    .isEqualTo(problem("staff[1].roles[0]", 12, 13, "unknown staff role 'senior_advsior'"
                            + " (known: senior_advisor); did you mean 'senior_advisor'?"));
        }

        @Test
        void rolesAreAList() {
            assertThat(onlyProblem(with("daily_add_limit: 300", "daily_add_limit: 300\n    roles: senior_advisor")))
                    .isEqualTo(problem("staff[1].roles", 12, 12, "expected a list of strings, got the string 'senior_advisor';"
                            + " write it as a list: [senior_advisor]"));
        }

        @Test
        void staffPoolsAreConcreteNames() {
            assertThat(onlyProblem(with("pools: [live_team, store_staff_shanghai]",
                    "pools: [live_team, store_staff_shanghai, \"store_staff_{city}\"]")))
                    .isEqualTo(problem("staff[1].pools[2]", 10, 46, "a staff member's pool is a concrete name such as"
                            + " store_staff_shanghai; 'store_staff_{city}' with {placeholders} belongs in a channel code's staff_pool"));
        }

        @Test
        void duplicateStoreId() {
            assertThat(onlyProblem(with("    city: shanghai\n",
                    "    city: shanghai\n  - store_id: sh01\n    store_name: Other\n    city: shanghai\n")))
                    .isEqualTo(problem("stores[1].store_id", 16, 15, "duplicate store_id 'sh01' (first at line 13)"));
        }
    }

    @Nested
    class ChannelCodes {
        @Test
        void unknownRoutingTypeListsTheKnownOnes() {
            assertThat(onlyProblem(with("type: round_robin", "type: round-robin")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].type", 25, 13, "unknown routing type 'round-robin'"
                            + " (known: auto_assign, round_robin, location_based); did you mean 'round_robin'?"));
        }

        @Test
        void unknownStaffPool() {
            assertThat(onlyProblem(with("        - live_team", "        - live_teem")).toString())
                    .isEqualTo("test.yaml:27:11: scrm_config.channel_codes[1].staff_pool[0]: unknown staff pool 'live_teem'"
                            + " (known: live_team, sales_team_east, store_staff_shanghai); did you mean 'live_team'?");
        }

        @Test
        void locationPoolMustResolveForEveryStoresCity() {
            assertThat(onlyProblem(with("city: shanghai", "city: hangzhou")))
                    .isEqualTo(problem("scrm_config.channel_codes[2].staff_pool[0]", 32, 20, "staff pool"
                            + " 'store_staff_{city}' is 'store_staff_hangzhou' for store sh01 (city hangzhou), but no staff"
                            + " member is in that pool (known: live_team, sales_team_east, store_staff_shanghai)"));
        }

        @Test
        void locationBasedCodeNeedsAStore() {
            String yaml = with("stores:\n  - store_id: sh01\n    store_name: Jing'an Flagship\n    city: shanghai\n",
                    "stores: []\n\n\n\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem("scrm_config.channel_codes[2].type", 31, 13,
                    "location_based codes need at least one store under 'stores' (each store gets its own contact way)"));
        }

        @Test
        void cityInThePoolOfACodeThatIsNotLocationBased() {
            assertThat(onlyProblem(with("staff_pool: [sales_team_east]", "staff_pool: [\"sales_{city}\"]")))
                    .isEqualTo(problem("scrm_config.channel_codes[0].staff_pool[0]", 20, 20,
                            "{city} in a staff pool is only filled on location_based codes (this code is auto_assign)"));
        }

        @Test
        void unknownPlaceholderInWelcomeMessage() {
            assertThat(onlyProblem(with("{staff_name}\"", "{staff_nmae}\"")))
                    .isEqualTo(problem("scrm_config.channel_codes[0].welcome_message", 21, 24, "unknown placeholder"
                            + " {staff_nmae} in welcome_message (known: {city}, {staff_name}, {store_name});"
                            + " did you mean {staff_name}?"));
        }

        @Test
        void storePlaceholderOnARoundRobinCode() {
            assertThat(onlyProblem(with("Thanks for joining from the livestream", "Thanks for joining in {city}")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].welcome_message", 28, 24,
                            "{city} is only filled on location_based codes (this code is round_robin)"));
        }

        @Test
        void storePlaceholderInTheAutoTagsOfAnAutoAssignCode() {
            assertThat(onlyProblem(with("auto_tags: [package_insert]", "auto_tags: [package_insert, \"{store_name}\"]")))
                    .isEqualTo(problem("scrm_config.channel_codes[0].auto_tags[1]", 22, 35,
                            "{store_name} is only filled on location_based codes (this code is auto_assign)"));
        }

        @Test
        void unknownPlaceholderInAutoTags() {
            assertThat(onlyProblem(with("[in_store_customer, \"{city}\"]", "[in_store_customer, \"{district}\"]")))
                    .isEqualTo(problem("scrm_config.channel_codes[2].auto_tags[1]", 34, 38,
                            "unknown placeholder {district} in auto_tags (known: {city}, {staff_name}, {store_name})"));
        }

        @Test
        void stateLongerThanThirtyCharacters() {
            assertThat(onlyProblem(with("state: livestream_qr", "state: livestream_qr_code_spring_gala_2026")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].state", 29, 14,
                            "state 'livestream_qr_code_spring_gala_2026' is 35 characters; WeCom allows at most 30"));
        }

        @Test
        void perStoreStateLongerThanThirtyCharacters() {
            // 26 characters fit on their own, but not with ".sh01"
            assertThat(onlyProblem(with("state: in_store", "state: in_store_customer_qrcode_x")))
                    .isEqualTo(problem("scrm_config.channel_codes[2].state", 35, 14,
                            "state 'in_store_customer_qrcode_x.sh01' for store sh01 is 31 characters; WeCom allows at most 30"));
        }

        @Test
        void stateFromATooLongChannelTrackingPointsThere() {
            assertThat(onlyProblem(with("channel_tracking: parcel_card_east", "channel_tracking: parcel_card_east_china_warehouse")))
                    .isEqualTo(problem("scrm_config.channel_codes[0].channel_tracking", 23, 25,
                            "state 'parcel_card_east_china_warehouse' is 32 characters; WeCom allows at most 30"
                                    + " (taken from channel_tracking; set a shorter state:)"));
        }

        @Test
        void duplicateState() {
            assertThat(onlyProblem(with("state: livestream_qr", "state: parcel_card_east")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].state", 29, 14, "state 'parcel_card_east' is already"
                            + " used by scrm_config.channel_codes[0] 'Package Insert' (line 18); every channel needs its own state"));
        }

        @Test
        void stateCollidingWithAPerStoreState() {
            assertThat(onlyProblem(with("state: livestream_qr", "state: in_store.sh01")))
                    .isEqualTo(problem("scrm_config.channel_codes[2].state", 35, 14, "state 'in_store.sh01' for store sh01"
                            + " is already used by scrm_config.channel_codes[1] 'Livestream QR Code' (line 24); every"
                            + " channel needs its own state"));
        }

        @Test
        void missingStateIsDerivedFromTheName() {
            ScrmConfig config = loader.load(with("      state: livestream_qr\n", ""), SOURCE);
            assertThat(config.channelCodes().get(1).state()).isEqualTo("livestream_qr_code");
            assertThat(config.channelCodes().get(1).channelTracking()).isEqualTo("livestream_qr_code");
        }

        @Test
        void derivedStateIsTruncatedToThirtyCharacters() {
            String yaml = with("      state: livestream_qr\n", "")
                    .replace("name: Livestream QR Code", "name: \"Livestream QR Code - Spring Festival Gala 2026\"");
            assertThat(loader.load(yaml, SOURCE).channelCodes().get(1).state()).isEqualTo("livestream_qr_code_spring_fest");
        }

        @Test
        void derivedLocationStateLeavesRoomForTheStoreId() {
            String yaml = with("      state: in_store\n", "")
                    .replace("name: In-Store QR Code", "name: In-Store QR Code for all flagship stores");
            ChannelCodeSpec code = loader.load(yaml, SOURCE).channelCodes().get(2);
            assertThat(code.state()).isEqualTo("in_store_qr_code_for_all");
            assertThat(code.stateAt(new Store("sh01", "x", "shanghai"))).isEqualTo("in_store_qr_code_for_all.sh01").hasSize(29);
        }

        @Test
        void nameWithoutLatinLettersNeedsAnExplicitState() {
            assertThat(onlyProblem(with("      state: livestream_qr\n", "").replace("name: Livestream QR Code", "name: 直播二维码")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].name", 24, 13, "no state can be derived from the name"
                            + " '直播二维码' (it has no a-z or 0-9); set state: explicitly"));
        }

        @Test
        void duplicateChannelName() {
            assertThat(onlyProblem(with("name: Livestream QR Code", "name: Package Insert")))
                    .isEqualTo(problem("scrm_config.channel_codes[1].name", 24, 13,
                            "duplicate channel code name 'Package Insert' (first at line 18)"));
        }
    }

    @Nested
    class TagsAndGroups {
        @Test
        void ruleTagMustBeDeclaredInTheTagSystem() {
            assertThat(onlyProblem(with("remove_tags: [active_customer]", "remove_tags: [active_custmer]")))
                    .isEqualTo(problem("scrm_config.auto_tagging_rules[0].remove_tags[0]", 45, 21, "unknown tag"
                            + " 'active_custmer': it is in no tag_system dimension (declare it there); did you mean 'active_customer'?"));
        }

        @Test
        void ruleThatChangesNothing() {
            assertThat(onlyProblem(with("      add_tags: [dormant_customer]\n      remove_tags: [active_customer]\n", "")))
                    .isEqualTo(problem("scrm_config.auto_tagging_rules[0]", 43, 7, "a rule must add or remove at least one tag"));
        }

        @Test
        void tagInTwoDimensions() {
            assertThat(onlyProblem(with("tags: [package_insert, livestream]", "tags: [package_insert, new_customer]")))
                    .isEqualTo(problem("scrm_config.tag_system.dimensions[1].tags[0]", 41, 16, "tag 'new_customer' is"
                            + " already in dimension 'Customer Source' (line 39); a tag belongs to one dimension"));
        }

        @Test
        void groupLargerThanWeComAllows() {
            assertThat(onlyProblem(with("max_members: 100", "max_members: 501")))
                    .isEqualTo(problem("scrm_config.group_config.types[0].max_members", 49, 22,
                            "max_members 501 is outside 1..500 (a WeCom customer group holds at most 500)"));
        }

        @Test
        void emptyGroup() {
            assertThat(onlyProblem(with("max_members: 100", "max_members: 0")).message())
                    .isEqualTo("max_members 0 is outside 1..500 (a WeCom customer group holds at most 500)");
        }

        @Test
        void groupMatchWithAnOwnerWhoIsNoStaffMemberAndAPatternThatDoesNotCompile() {
            List<ConfigProblem> found = problems(with("max_members: 100",
                    "max_members: 100\n        match: {owners: [nobody], name_pattern: \"VIP[\"}"));

            assertThat(found).extracting(ConfigProblem::path, ConfigProblem::line).containsExactly(
                    tuple("scrm_config.group_config.types[0].match.owners[0]", 50),
                    tuple("scrm_config.group_config.types[0].match.name_pattern", 50));
            assertThat(found.get(0).message()).startsWith("owner nobody is not a staff member of this blueprint");
            assertThat(found.get(1).message()).startsWith("name_pattern is not a valid regular expression");
        }

        @Test
        void groupMatchWithNeitherOwnersNorPattern() {
            assertThat(onlyProblem(with("max_members: 100", "max_members: 100\n        match: {}")).message())
                    .isEqualTo("match needs owners or name_pattern (or both), else it would take every group");
        }

        @Test
        void entryConditionWithAnUnclosedParenthesis() {
            assertThat(onlyProblem(with("'customer.total_spend > 1000.0 ||", "'(customer.total_spend > 1000.0 ||")))
                    .isEqualTo(problem("scrm_config.group_config.types[0].entry_condition", 50, 26,
                            "entry_condition is not a valid CEL expression: '(' at character 1 is never closed"));
        }

        @Test
        void entryConditionWithAnUnclosedString() {
            assertThat(onlyProblem(with("\"VIP\" in", "\"VIP in")).message())
                    .isEqualTo("entry_condition is not a valid CEL expression: string starting at character 34 is never closed (\")");
        }

        @Test
        void aGroupCustomersAreInvitedUpToSaysWhatTheInviteSays() {
            assertThat(onlyProblem(with("        invite_text: \"You're invited to our {group_type}\"\n", "")))
                    .satisfies(p -> {
                        assertThat(p.path()).isEqualTo("scrm_config.group_config.types[0].invite_text");
                        assertThat(p.message()).isEqualTo("missing required field 'invite_text'");
                    });
        }

        @Test
        void groupWithoutEntryConditionAdmitsAnyone() {
            ScrmConfig config = loader.load(with(
                    "        entry_condition: 'customer.total_spend > 1000.0 || \"VIP\" in customer.tags'\n", ""), SOURCE);
            assertThat(config.groupTypes().get(0).entryCondition()).isEmpty();
        }
    }

    @Test
    void allProblemsAreReportedTogetherInFileOrder() {
        String yaml = BASE.replace("timezone: Asia/Shanghai", "timezone: Mars/Olympus")
                .replace("        - live_team", "        - live_teem")
                .replace("max_members: 100", "max_members: 900")
                .replace("daily_add_limit: 200", "daily_add_limit: -5");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(yaml, SOURCE));
        assertThat(e.problems()).extracting(ConfigProblem::path, ConfigProblem::line).containsExactly(
                tuple("timezone", 2),
                tuple("staff[0].daily_add_limit", 7),
                tuple("scrm_config.channel_codes[1].staff_pool[0]", 27),
                tuple("scrm_config.group_config.types[0].max_members", 49));
        assertThat(e.getMessage()).startsWith("invalid config, 4 problems:\n  test.yaml:2:11: timezone: ")
                .contains("\n  test.yaml:27:11: scrm_config.channel_codes[1].staff_pool[0]: unknown staff pool 'live_teem'");
    }

    @Test
    void loadsAFileNamingItInProblems(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("brand.yaml");
        Files.writeString(file, with("type: auto_assign", "type: first_come"));
        assertThatThrownBy(() -> loader.load(file)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.source()).isEqualTo(file.toString());
                    assertThat(p.line()).isEqualTo(19);
                }));
    }

    /** guardrails: optional, every field defaulting to the seed's rule; lines are counted past BASE. */
    @Nested
    class GuardrailsSection {
        private final int first = (int) BASE.lines().count() + 1;

        private String withGuardrails(String... lines) {
            return BASE + "guardrails:\n" + String.join("", Arrays.stream(lines).map(l -> "  " + l + "\n").toList());
        }

        @Test
        void absentSectionMeansTheSeedsDefaults() {
            assertThat(loader.load(BASE, SOURCE).guardrails()).isEqualTo(Guardrails.DEFAULTS);
        }

        @Test
        void everyFieldIsRead() {
            Guardrails g = loader.load(withGuardrails("business_hours: \"08:30-22:00\"", "mass_messages_per_month: 2",
                    "moments_posts_per_day: 0", "journey_messages_per_week: 5", "promotional_share_max: 0.2",
                    "content_mix_window: 20", "sensitive_industry: true"), SOURCE).guardrails();
            assertThat(g).isEqualTo(new Guardrails(new BusinessHours(LocalTime.of(8, 30), LocalTime.of(22, 0)), 2, 0, 5,
                    0.2, 20, true));
        }

        @Test
        void theMassMessageBudgetSettingsAreRead() {
            Guardrails g = loader.load(withGuardrails("wecom_customer_message_limit: one_per_day",
                    "mass_message_priority: [transactional, service, human_confirmed, value, promotional]",
                    "mass_message_reserve: 2"), SOURCE).guardrails();
            assertThat(g.platformLimit()).isEqualTo(dev.siyu.core.gate.PlatformMessageLimit.ONE_PER_DAY);
            assertThat(g.massMessagePriority().get(1)).isEqualTo(dev.siyu.core.gate.MessagePriority.SERVICE);
            assertThat(g.massMessageReserve()).isEqualTo(2);
            assertThat(g.massSlotsFor(dev.siyu.core.gate.MessagePriority.HUMAN_CONFIRMED)).isEqualTo(2);
        }

        @Test
        void aWrongPriorityOrPlatformRuleIsReportedAtItsLine() {
            assertThat(problems(withGuardrails("wecom_customer_message_limit: twice_a_day",
                    "mass_message_priority: [transactional, urgent, value, value]", "mass_message_reserve: 5")))
                    .extracting(p -> p.line() + ": " + p.message())
                    .anySatisfy(m -> assertThat(m).startsWith(first + 1 + ": ").contains("twice_a_day"))
                    .anySatisfy(m -> assertThat(m).startsWith(first + 2 + ": ").contains("unknown class 'urgent'"))
                    .anySatisfy(m -> assertThat(m).startsWith(first + 2 + ": ").contains("'value' is listed twice"))
                    .anySatisfy(m -> assertThat(m).startsWith(first + 3 + ": ")
                            .contains("mass_message_reserve 5 is outside 0..4"));
            assertThat(problems(withGuardrails("mass_message_priority: [transactional, value]")))
                    .extracting(ConfigProblem::message)
                    .containsExactly("mass_message_priority must rank every class; missing human_confirmed, service,"
                            + " promotional");
        }

        @Test
        void fieldsLeftOutKeepTheirDefaults() {
            Guardrails g = loader.load(withGuardrails("journey_messages_per_week: 1"), SOURCE).guardrails();
            assertThat(g).isEqualTo(new Guardrails(BusinessHours.DEFAULT, 4, 1, 1, 0.30, 10, false));
        }

        @Test
        void limitsLooserThanTheSeedAreRejectedWithTheirLine() {
            assertThat(problems(withGuardrails("mass_messages_per_month: 8", "moments_posts_per_day: 3"))).containsExactly(
                    problem("guardrails.mass_messages_per_month", first + 1, 28, "mass_messages_per_month 8 is outside"
                            + " 0..4 (the seed's rule: at most 4 mass messages per customer per month)"),
                    problem("guardrails.moments_posts_per_day", first + 2, 26, "moments_posts_per_day 3 is outside"
                            + " 0..1 (the seed's rule: at most 1 Moments post per day)"));
        }

        @Test
        void percentWrittenAsAWholeNumber() {
            assertThat(onlyProblem(withGuardrails("promotional_share_max: 30"))).isEqualTo(problem(
                    "guardrails.promotional_share_max", first + 1, 26, "promotional_share_max 30 is outside 0..0.3"
                            + " (the seed's rule: under 30% promotional); write a share: 0.30 for 30%"));
        }

        @Test
        void shareThatIsNoNumber() {
            assertThat(onlyProblem(withGuardrails("promotional_share_max: 30%")).message())
                    .isEqualTo("promotional_share_max must be a share such as 0.30, got '30%'");
        }

        @Test
        void businessHoursThatAreNoWindow() {
            assertThat(onlyProblem(withGuardrails("business_hours: 9-21"))).isEqualTo(problem(
                    "guardrails.business_hours", first + 1, 19,
                    "business_hours '9-21' must be two different 24-hour times, start-end, such as \"09:00-21:00\""));
        }

        @Test
        void sensitiveIndustryIsTrueOrFalse() {
            assertThat(onlyProblem(withGuardrails("sensitive_industry: maybe")).message())
                    .isEqualTo("sensitive_industry must be true or false, got 'maybe'");
        }

        @Test
        void typoInAKey() {
            assertThat(onlyProblem(withGuardrails("quiet_hours: \"09:00-21:00\""))).isEqualTo(problem(
                    "guardrails.quiet_hours", first + 1, 3, "unknown key 'quiet_hours' (known: "
                            + String.join(", ", ConfigLoader.GUARDRAILS_KEYS) + ")"));
        }

        @Test
        void contentMixWindowMustHoldATouch() {
            assertThat(onlyProblem(withGuardrails("content_mix_window: 0")).message())
                    .isEqualTo("content_mix_window 0 is outside 1..100");
        }
    }
}
