package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/**
 * A small valid blueprint for the tests of the sections after scrm_config, and helpers that find a
 * problem's expected line and column by the text at that spot, so the tests say what they point at.
 */
final class Blueprint {
    static final String SOURCE = "test.yaml";

    static final String BASE = """
            tenant: demo
            timezone: Asia/Shanghai
            staff:
              - {user_id: zhangsan, name: Zhang San, pools: [sales_team_east], daily_add_limit: 200}
              - {user_id: wangwu, name: Wang Wu, pools: [live_team], daily_add_limit: 300}
            scrm_config:
              channel_codes:
                - {name: Package Insert, type: auto_assign, staff_pool: [sales_team_east], welcome_message: Hi}
              tag_system:
                dimensions:
                  - name: Lifecycle Stage
                    tags: [new_customer, active_customer, dormant_customer]
                  - name: Interest Preference
                    tags: [skincare, baby_care]
              group_config:
                types:
                  - {name: Welcome Perks Group, max_members: 200, auto_welcome: Welcome, sop_template: welfare_group_sop}
                  - {name: VIP Member Group, max_members: 100, auto_welcome: Congrats, sop_template: vip_group_sop}
            """;

    /** The calendars BASE's group types name; sections written after it come after this. */
    static final String CALENDAR = """
            sop_calendar:
              welfare_group_sop:
                mini_program_page: pages/picks/index
                daily:
                  - {at: "08:30", segment: Morning greeting, content: value, text: Good morning}
                  - {at: "15:00", segment: Flash sale, content: promotional, mini_program: true, text: 30 units only}
                weekly:
                  - {day: Wednesday, at: "18:00", event: Livestream preview, content: promotional, text: Tonight on Channels}
              vip_group_sop:
                weekly:
                  - {day: Monday, at: "10:00", event: Early access, content: promotional, text: New product, group_types: [VIP Member Group]}
            """;

    private Blueprint() {
    }

    static ScrmConfig load(ConfigLoader loader, String yaml) {
        return loader.load(yaml, SOURCE);
    }

    static List<ConfigProblem> problems(ConfigLoader loader, String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(yaml, SOURCE));
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.problems();
    }

    static ConfigProblem onlyProblem(ConfigLoader loader, String yaml) {
        List<ConfigProblem> problems = problems(loader, yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    /** The problem expected at the first occurrence of spot in yaml (which must occur exactly once). */
    static ConfigProblem problem(String yaml, String spot, String path, String message) {
        int index = yaml.indexOf(spot);
        assertThat(index).as("'" + spot + "' in the test YAML").isNotNegative();
        assertThat(yaml.indexOf(spot, index + 1)).as("'" + spot + "' occurs once").isNegative();
        int line = 1 + (int) yaml.substring(0, index).chars().filter(c -> c == '\n').count();
        int column = index - (yaml.lastIndexOf('\n', index - 1) + 1) + 1;
        return new ConfigProblem(SOURCE, path, line, column, message);
    }
}
