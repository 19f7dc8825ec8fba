package dev.siyu.core.config;

import static dev.siyu.core.config.Blueprint.BASE;
import static dev.siyu.core.config.Blueprint.CALENDAR;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blueprint's scripts: section, which the staff sidebar searches by scenario. */
class ScriptsConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void theExampleCarriesScriptsSearchableByScenarioAndWords() {
        ScriptLibrary scripts = loader.load(Path.of("../../config/scrm.example.yaml")).scripts();

        assertThat(scripts.scenarios()).contains("price_objection", "late_delivery");
        assertThat(scripts.search("price_objection", null)).hasSize(2);
        assertThat(scripts.search("", "trial size")).extracting(ScriptLibrary.Script::title)
                .containsExactly("Compare with the trial size");
        assertThat(scripts.search("late_delivery", "coupon")).isEmpty();
    }

    @Test
    void aBlueprintWithoutScriptsHasNone() {
        assertThat(Blueprint.load(loader, BASE + CALENDAR).scripts().scripts()).isEmpty();
    }

    @Test
    void aBadScenarioAMissingTextAndARepeatedTitleAreEachReportedAtTheirLine() {
        String yaml = BASE + CALENDAR + """
                scripts:
                  - {scenario: Price Objection, title: Too dear, text: Members get 10% off}
                  - {scenario: late_delivery, title: Late}
                  - {scenario: late_delivery, title: Too dear, text: Sorry for the wait}
                """;

        List<ConfigProblem> problems = Blueprint.problems(loader, yaml);

        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("scenario 'Price Objection' must be a snake_case word"));
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("missing required field 'text'"));
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("duplicate script title 'Too dear'"));
        assertThat(problems).hasSize(3);
    }

    @Test
    void aTextLongerThanOneWeComMessageIsRefused() {
        String yaml = BASE + CALENDAR + "scripts:\n  - {scenario: long, title: Long, text: " + "x".repeat(4001) + "}\n";

        assertThat(Blueprint.problems(loader, yaml)).extracting(ConfigProblem::message)
                .containsExactly("text is 4001 bytes; a WeCom text message holds at most 4000");
    }
}
