package dev.siyu.sim.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.siyu.core.config.ConfigException;
import dev.siyu.core.config.ConfigProblem;
import dev.siyu.core.config.ScoringSettings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The churn journey's training settings in the blueprint: read, defaulted, and refused at their line. */
class ScoringSettingsTest {
    private static final String EXAMPLE = "training: {label_window_days: 90, retrain: weekly, features_off: [], persona_k: 0}";

    private static int lineOf(String text, String fragment) {
        int at = text.indexOf(fragment);
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private static List<ConfigProblem> problems(String text) {
        return catchThrowableOfType(ConfigException.class, () -> ExampleConfig.LOADER.load(text, "scrm.yaml")).problems();
    }

    @Test
    void theExampleBlueprintsSettingsAreRead() {
        assertThat(ExampleConfig.CONFIG.scoring()).isEqualTo(new ScoringSettings(90, "weekly", Set.of(), 0));
        String text = ExampleConfig.replacing(ExampleConfig.TEXT, EXAMPLE,
                "training: {label_window_days: 60, retrain: daily, features_off: [tier, moments_decline], persona_k: 4}");
        assertThat(ExampleConfig.LOADER.load(text, "scrm.yaml").scoring())
                .isEqualTo(new ScoringSettings(60, "daily", Set.of("tier", "moments_decline"), 4));
    }

    @Test
    void withoutTrainingSettingsTheDefaultsApply() {
        String text = ExampleConfig.replacing(ExampleConfig.TEXT, "    " + EXAMPLE + "\n", "");
        assertThat(ExampleConfig.LOADER.load(text, "scrm.yaml").scoring()).isEqualTo(ScoringSettings.DEFAULTS);
    }

    @Test
    void eachWrongSettingIsNamedAtItsLine() {
        String text = ExampleConfig.replacing(ExampleConfig.TEXT, EXAMPLE,
                "training: {label_window_days: 3, retrain: hourly, features_off: [shoe_size], persona_k: 40}");
        int line = lineOf(text, "training: {label_window_days: 3");
        assertThat(problems(text)).allSatisfy(p -> assertThat(p.line()).isEqualTo(line))
                .extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("label_window_days 3 is outside 7..365"))
                .anySatisfy(m -> assertThat(m).contains("hourly"))
                .anySatisfy(m -> assertThat(m).contains("unknown scoring feature 'shoe_size'"))
                .anySatisfy(m -> assertThat(m).contains("persona_k 40"))
                .hasSize(4);
    }

    @Test
    void trainingSettingsBelongToTheChurnJourneyOnly() {
        String text = ExampleConfig.replacing(ExampleConfig.TEXT, "    " + EXAMPLE + "\n", "");
        text = ExampleConfig.replacing(text, "  churn_early_warning:\n", "  churn_early_warning:\n    training: {persona_k: 3}\n");
        assertThat(ExampleConfig.LOADER.load(text, "scrm.yaml").scoring().personaK()).isEqualTo(3);
        int dormant = text.indexOf("\n  dormant_reactivation:\n");
        if (dormant > 0) {
            String bad = text.substring(0, dormant) + "\n  dormant_reactivation:\n    training: {persona_k: 3}"
                    + text.substring(dormant + "\n  dormant_reactivation:".length());
            assertThat(problems(bad)).extracting(ConfigProblem::message)
                    .anySatisfy(m -> assertThat(m).contains("training settings belong to churn_early_warning"));
        }
    }
}
