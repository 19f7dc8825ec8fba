package dev.siyu.core.config;

import static dev.siyu.core.config.Blueprint.BASE;
import static dev.siyu.core.config.Blueprint.CALENDAR;
import static dev.siyu.core.config.Blueprint.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The blueprint's miniapp section (subscription-message templates): read as written, each mistake at its line. */
class MiniappConfigTest {
    private static final String MINIAPP = """
            miniapp:
              subscription_templates:
                repurchase_reminder:
                  template_id: "Rp7xK2mQ9vLw3NcT8bYh5JdF1sGa6ZeU0iOoPqWrXyA"
                  page: "pages/repurchase/index"
                  fields: {thing1: "{text}", date2: "{date}"}
                reward_alert:
                  template_id: "Rw4bN8tHq2XzL6cV1mKp9JsD3fGy7AeU5iOoRwTsQnB"
                  fields: {thing1: "{text}"}
            """;
    private final ConfigLoader loader = new ConfigLoader();

    private static String miniapp(String original, String replacement) {
        assertThat(MINIAPP.indexOf(original)).as(original).isNotNegative();
        return BASE + CALENDAR + MINIAPP.replace(original, replacement);
    }

    @Test
    void theTemplatesAreReadAsWritten() {
        MiniappSettings m = Blueprint.load(loader, BASE + CALENDAR + MINIAPP).miniapp();

        MiniappSettings.SubscriptionTemplate t = m.template("repurchase_reminder").orElseThrow();
        assertThat(t.templateId()).isEqualTo("Rp7xK2mQ9vLw3NcT8bYh5JdF1sGa6ZeU0iOoPqWrXyA");
        assertThat(t.page()).isEqualTo("pages/repurchase/index");
        assertThat(t.fields()).containsExactly(Map.entry("thing1", "{text}"), Map.entry("date2", "{date}"));
        assertThat(m.template("reward_alert").orElseThrow().page()).isNull();
        assertThat(m.byTemplateId("Rw4bN8tHq2XzL6cV1mKp9JsD3fGy7AeU5iOoRwTsQnB")).map(x -> x.name())
                .contains("reward_alert");
    }

    @Test
    void withoutTheSectionThereAreNoTemplates() {
        assertThat(Blueprint.load(loader, BASE + CALENDAR).miniapp().subscriptionTemplates()).isEmpty();
    }

    @Test
    void theExampleBlueprintDeclaresTheRepurchaseReminder() {
        MiniappSettings m = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml")).miniapp();

        assertThat(m.template("repurchase_reminder")).isPresent();
    }

    @Test
    void aTemplateWithoutItsIdIsReportedAtItsName() {
        String yaml = miniapp("      template_id: \"Rw4bN8tHq2XzL6cV1mKp9JsD3fGy7AeU5iOoRwTsQnB\"\n", "");
        ConfigProblem p = Blueprint.onlyProblem(loader, yaml);
        assertThat(p.message()).isEqualTo("missing required field 'template_id'");
        assertThat(p.path()).isEqualTo("miniapp.subscription_templates.reward_alert.template_id");
    }

    @Test
    void anIdThatIsNoTemplateId() {
        String yaml = miniapp("\"Rw4bN8tHq2XzL6cV1mKp9JsD3fGy7AeU5iOoRwTsQnB\"", "\"ask Li for it\"");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "\"ask Li for it\"",
                "miniapp.subscription_templates.reward_alert.template_id", "template_id 'ask Li for it' is not a "
                        + "WeChat template id (letters, digits, '-' and '_', as the Mini Program console shows it)"));
    }

    @Test
    void oneTemplateIdUnderTwoNames() {
        String yaml = miniapp("\"Rw4bN8tHq2XzL6cV1mKp9JsD3fGy7AeU5iOoRwTsQnB\"",
                "\"Rp7xK2mQ9vLw3NcT8bYh5JdF1sGa6ZeU0iOoPqWrXyA\"");
        ConfigProblem p = Blueprint.onlyProblem(loader, yaml);
        assertThat(p.message()).isEqualTo("template_id 'Rp7xK2mQ9vLw3NcT8bYh5JdF1sGa6ZeU0iOoPqWrXyA' is already "
                + "template 'repurchase_reminder'");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "Rp7xK2mQ9vLw3NcT8bYh5JdF1sGa6ZeU0iOoPqWrXyA", 2));
    }

    @Test
    void aKeywordThatIsNoSubscriptionKeyword() {
        String yaml = miniapp("fields: {thing1: \"{text}\"}", "fields: {title: \"{text}\"}");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "title",
                "miniapp.subscription_templates.reward_alert.fields.title", "'title' is not a subscription keyword "
                        + "(thing1, time2, date3, number4, amount5, phrase6, ...)"));
    }

    @Test
    void aKeywordFilledWithWhatItsKindDoesNotTakeIsReportedAtIt() {
        String yaml = miniapp("fields: {thing1: \"{text}\"}", "fields: {thing1: \"{text}\", phrase2: \"{text}\", "
                + "number3: \"twelve\", name4: \"{name}\", date5: \"{date}\"}");
        java.util.List<String> messages = Blueprint.problems(loader, yaml).stream().map(ConfigProblem::message)
                .toList();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).startsWith("'phrase2': {text} and {name} fill only a thing keyword");
        assertThat(messages.get(1)).isEqualTo("'number3': 'twelve' is not a number value WeChat takes (see the "
                + "keyword rules of subscribeMessage.send)");
    }

    @Test
    void aPageWithALeadingSlash() {
        String yaml = miniapp("\"pages/repurchase/index\"", "\"/pages/repurchase/index\"");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "\"/pages/repurchase/index\"",
                "miniapp.subscription_templates.repurchase_reminder.page", "page '/pages/repurchase/index' must be a "
                        + "Mini Program path such as pages/index/index (no leading '/', at most 128 characters)"));
    }

    @Test
    void aMisspeltKeyIsNamed() {
        String yaml = miniapp("subscription_templates:", "subscription_template:");
        assertThat(Blueprint.onlyProblem(loader, yaml).message())
                .isEqualTo("unknown key 'subscription_template'; did you mean 'subscription_templates'?");
    }

    @Test
    void aJourneyStepNamingATemplateTheSectionDoesNotDeclareIsReportedAtItsLine() {
        String journey = """
                lifecycle_automation:
                  restock_nudge:
                    trigger: {event: purchase}
                    steps:
                      - delay: 1d
                        action: {type: message, content: value, text: "Restock soon", subscription: restock}
                """;
        String yaml = BASE + CALENDAR + MINIAPP + journey;
        ConfigProblem p = Blueprint.onlyProblem(loader, yaml);
        assertThat(p.message()).startsWith("unknown subscription template 'restock' (known: repurchase_reminder, "
                + "reward_alert)");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "subscription: restock", 1));

        String declared = yaml.replace("subscription: restock", "subscription: repurchase_reminder");
        assertThat(Blueprint.load(loader, declared).journey("restock_nudge").orElseThrow().steps().get(0).action())
                .isInstanceOfSatisfying(dev.siyu.core.journey.Action.SendMessage.class,
                        m -> assertThat(m.subscription()).isEqualTo("repurchase_reminder"));
    }

    /** The 1-based line of the n-th (1-based) occurrence of text in yaml. */
    private static int lineOf(String yaml, String text, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = yaml.indexOf(text, at + 1);
        }
        return (int) yaml.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }
}
