package dev.siyu.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.siyu.core.config.ConfigException;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ConfigProblem;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.Journey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GIVEN the shipped example loaded with the CEL compiler, WHEN a condition in a copy of it is wrong,
 * THEN the problem points at the very character CEL stumbled on, with CEL's own message.
 */
class ConfigConditionsTest {
    // surefire runs in the module directory
    private static final Path EXAMPLE = Path.of("../../config/scrm.example.yaml");
    private static final String SOURCE = "scrm.example.yaml";
    private static String example;

    private final ConfigLoader loader = new ConfigLoader(new CelConditionCompiler());

    @BeforeAll
    static void read() throws IOException {
        example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    }

    /** The example with one exact text replaced; it must be there once, so no test is vacuous. */
    private static String with(String original, String replacement) {
        assertThat(example.split(Pattern.quote(original), -1)).as("occurrences of " + original).hasSize(2);
        return example.replace(original, replacement);
    }

    private List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(yaml, SOURCE));
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e.problems();
    }

    /** The 1-based line and column where text first appears in yaml, plus offset characters. */
    private static int[] position(String yaml, String text, int offset) {
        int index = yaml.indexOf(text);
        assertThat(index).as(text).isNotNegative();
        int line = 1 + (int) yaml.substring(0, index).chars().filter(c -> c == '\n').count();
        int column = index - (yaml.lastIndexOf('\n', index - 1) + 1) + 1 + offset;
        return new int[] {line, column};
    }

    private static ConfigProblem problem(String yaml, String text, int offset, String path, String message) {
        int[] at = position(yaml, text, offset);
        return new ConfigProblem(SOURCE, path, at[0], at[1], message);
    }

    @Test
    void everyConditionOfTheExampleCompiles() {
        ScrmConfig config = loader.load(EXAMPLE);
        assertThat(config.journeys()).extracting(Journey::name).containsExactly("new_customer_activation",
                "repurchase_reminder", "dormant_reactivation", "churn_early_warning", "new_member_onboarding");
        assertThat(config.autoTaggingRules()).allSatisfy(r -> assertThat(r.when()).isNotBlank());
    }

    @Test
    void unknownVariableInAStepCondition() {
        String yaml = with("condition: '!customer.has_purchased'\n        label: \"1-on-1 needs diagnosis\"",
                "condition: '!custmer.has_purchased'\n        label: \"1-on-1 needs diagnosis\"");
        // the quote, then '!' : CEL points at the identifier, the third character of the scalar
        assertThat(problems(yaml)).containsExactly(problem(yaml, "'!custmer", 2,
                "lifecycle_automation.new_customer_activation.steps[4].condition",
                "condition is not a valid CEL expression: undeclared reference to 'custmer' (the variables are"
                        + " customer, run, event, now)"));
    }

    @Test
    void syntaxErrorInAnExitCondition() {
        String yaml = with("exit_when: 'customer.last_interaction_at > run.started_at'",
                "exit_when: 'customer.last_interaction_at > > run.started_at'");
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        ConfigProblem p = problems.get(0);
        int[] secondGreater = position(yaml, "> > run", 2);
        assertThat(p.path()).isEqualTo("lifecycle_automation.dormant_reactivation.exit_when");
        assertThat(p.line()).isEqualTo(secondGreater[0]);
        assertThat(p.column()).isEqualTo(secondGreater[1]);
        assertThat(p.message()).startsWith("exit_when is not a valid CEL expression: ");
    }

    @Test
    void ruleConditionThatIsNoTrueOrFalse() {
        String yaml = with("when: 'customer.total_spend > 2000.0'", "when: 'customer.total_spend + 2000.0'");
        assertThat(problems(yaml)).containsExactly(problem(yaml, "+ 2000.0", 0,
                "scrm_config.auto_tagging_rules[2].when",
                "when is not a valid CEL expression: expected type 'bool' but found 'double'"));
    }

    @Test
    void entryConditionWithASingleEquals() {
        String yaml = with("entry_condition: 'customer.total_spend > 1000.0 || \"VIP\" in customer.tags'",
                "entry_condition: 'customer.stage = \"mature\"'");
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("scrm_config.group_config.types[1].entry_condition");
            assertThat(p.line()).isEqualTo(position(yaml, "= \"mature\"", 0)[0]);
            assertThat(p.column()).isEqualTo(position(yaml, "= \"mature\"", 0)[1]);
        });
    }

    @Test
    void eventFilterComparingAStringWithANumber() {
        String yaml = with("when: 'event.group_type == \"Welcome Perks Group\"'", "when: 'event.group_type == 3'");
        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("lifecycle_automation.new_member_onboarding.trigger.when");
            assertThat(p.line()).isEqualTo(position(yaml, "'event.group_type == 3'", 0)[0]);
            assertThat(p.message()).startsWith("when is not a valid CEL expression: found no matching overload for '_==_'");
        });
    }

    @Test
    void conditionWrittenAsABlockNamesItsColumnInTheMessage() {
        String yaml = with("      condition: 'customer.days_since_last_interaction >= 30 && customer.days_since_last_purchase >= 30'",
                "      condition: >-\n        customer.days_since_last_interaction >= 30 &&\n        custmer.days_since_last_purchase >= 30");
        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("lifecycle_automation.dormant_reactivation.trigger.condition");
            // a block scalar's text is not where CEL's column says, so the field is named and the column told
            assertThat(p.line()).isEqualTo(position(yaml, "condition: >-", 0)[0]);
            assertThat(p.column()).isEqualTo(position(yaml, ">-", 0)[1]);
            assertThat(p.message()).isEqualTo("condition is not a valid CEL expression: undeclared reference to"
                    + " 'custmer' (the variables are customer, run, event, now) (column 47 of the condition)");
        });
    }

    @Test
    void everyBadConditionIsReportedInFileOrder() {
        String yaml = with("when: 'customer.has_purchased'", "when: 'customer.has_purchased &&'")
                .replace("exit_when: 'customer.last_interaction_at > run.started_at'", "exit_when: 'now > 1'");
        assertThat(problems(yaml)).extracting(ConfigProblem::path).containsExactly(
                "scrm_config.auto_tagging_rules[0].when",
                "lifecycle_automation.dormant_reactivation.exit_when");
    }

    @Test
    void theSameBlueprintPassesTheCheapCheckWithoutACompiler() {
        // what only a compiler can see: brackets and quotes are fine
        String yaml = with("when: 'customer.has_purchased'", "when: 'custmer.has_purchased'");
        assertThat(new ConfigLoader().load(yaml, SOURCE).autoTaggingRules().get(0).when())
                .isEqualTo("custmer.has_purchased");
        assertThat(problems(yaml)).singleElement().extracting(ConfigProblem::path)
                .isEqualTo("scrm_config.auto_tagging_rules[0].when");
    }
}
