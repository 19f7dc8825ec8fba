package dev.siyu.core.config;

import static dev.siyu.core.config.Blueprint.BASE;
import static dev.siyu.core.config.Blueprint.CALENDAR;
import static dev.siyu.core.config.Blueprint.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.journey.Action;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.JourneyStep;
import dev.siyu.core.journey.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * GIVEN a valid blueprint with one journey, WHEN one thing in the journey is wrong, THEN the problem
 * names its path, line and column (found by the text at that spot) and how to fix it.
 */
class LifecycleAutomationTest {
    private static final String P = "lifecycle_automation.activation.";

    private static final String ACTIVATION = """
            lifecycle_automation:
              activation:
                description: New user activation
                trigger: {event: contact_added, prose: Added as WeCom friend}
                goal: {event: first_purchase, within: 7d}
                steps:
                  - delay: 0min
                    action: {type: message, content: value, text: Welcome}
                  - delay: 72h
                    condition: '!customer.has_purchased'
                    label: 1-on-1 needs diagnosis
                    action: {type: staff_task, task: needs_diagnosis, content: value, draft: What do you need}
            """;

    private static final String REPURCHASE = """
            lifecycle_automation:
              repurchase:
                trigger: {event: purchase}
                restart: true
                consumption_cycles: {baby_care: 14d, skincare: 30d}
                default_cycle: 30d
                steps:
                  - delay: cycle-7d
                    action: {type: message, kind: link, content: value, title: Survey, url: "https://s.example.com", text: How is it going}
                  - delay: cycle
                    action: {type: staff_task, task: restock_reminder, content: promotional, draft: Restock}
            """;

    private final ConfigLoader loader = new ConfigLoader();

    private static String yaml(String section) {
        return BASE + CALENDAR + section;
    }

    /** ACTIVATION with one exact text replaced; the text must be there once, so no test is vacuous. */
    private static String activation(String original, String replacement) {
        return yaml(replaceOnce(ACTIVATION, original, replacement));
    }

    private static String repurchase(String original, String replacement) {
        return yaml(replaceOnce(REPURCHASE, original, replacement));
    }

    private static String replaceOnce(String text, String original, String replacement) {
        assertThat(text.split(Pattern.quote(original), -1)).as("occurrences of " + original).hasSize(2);
        return text.replace(original, replacement);
    }

    private ConfigProblem onlyProblem(String yaml) {
        return Blueprint.onlyProblem(loader, yaml);
    }

    private List<ConfigProblem> problems(String yaml) {
        return Blueprint.problems(loader, yaml);
    }

    @Nested
    class Valid {
        @Test
        void eventJourneyWithItsStepsInOrder() {
            Journey j = Blueprint.load(loader, yaml(ACTIVATION)).journey("activation").orElseThrow();
            assertThat(j.description()).isEqualTo("New user activation");
            assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.EVENT, "contact_added", null,
                    "Added as WeCom friend"));
            assertThat(j.goal()).isEqualTo(new Journey.Goal("first_purchase", Duration.ofDays(7)));
            assertThat(j.anchor()).isEqualTo(Journey.ANCHOR_EVENT);
            assertThat(j.restart()).isFalse();
            assertThat(j.exitWhen()).isNull();
            assertThat(j.cycles()).isEmpty();
            assertThat(j.defaultCycle()).isNull();
            assertThat(j.steps()).containsExactly(
                    new JourneyStep("0min: message", Duration.ZERO, false, null,
                            new Action.SendMessage(Action.MessageKind.TEXT, ContentClass.VALUE, "Welcome", null, null)),
                    new JourneyStep("1-on-1 needs diagnosis", Duration.ofHours(72), false, "!customer.has_purchased",
                            new Action.StaffTask("needs_diagnosis", ContentClass.VALUE, "What do you need", false)));
        }

        @Test
        void cycleJourney() {
            Journey j = Blueprint.load(loader, yaml(REPURCHASE)).journey("repurchase").orElseThrow();
            assertThat(j.restart()).isTrue();
            assertThat(j.cycles()).isEqualTo(Map.of("baby_care", Duration.ofDays(14), "skincare", Duration.ofDays(30)));
            assertThat(j.cycleFor("health")).contains(Duration.ofDays(30));
            assertThat(j.steps()).extracting(JourneyStep::delay, JourneyStep::fromCycle)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Duration.ofDays(-7), true),
                            org.assertj.core.groups.Tuple.tuple(Duration.ZERO, true));
        }

        @Test
        void eventTriggerFilterTravelsInTheCondition() {
            Journey j = Blueprint.load(loader, activation("trigger: {event: contact_added, prose: Added as WeCom friend}",
                    "trigger: {event: joined_group, when: 'event.group_type == \"Welcome Perks Group\"'}"))
                    .journeys().get(0);
            assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.EVENT, "joined_group",
                    "event.group_type == \"Welcome Perks Group\"",
                    "joined_group when event.group_type == \"Welcome Perks Group\""));
        }

        @Test
        void conditionTriggerWithAnchorAndExit() {
            Journey j = Blueprint.load(loader, activation("    trigger: {event: contact_added, prose: Added as WeCom friend}\n",
                    "    trigger: {condition: 'customer.days_since_last_interaction >= 30'}\n    anchor: last_activity\n"
                            + "    exit_when: 'customer.last_interaction_at > run.started_at'\n")).journeys().get(0);
            assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.CONDITION, null,
                    "customer.days_since_last_interaction >= 30", "customer.days_since_last_interaction >= 30"));
            assertThat(j.anchor()).isEqualTo(Journey.ANCHOR_LAST_ACTIVITY);
            assertThat(j.exitWhen()).isEqualTo("customer.last_interaction_at > run.started_at");
        }

        @Test
        void scoreTriggerBecomesAConditionOnTheScore() {
            Journey j = Blueprint.load(loader, activation("{event: contact_added, prose: Added as WeCom friend}",
                    "{score: churn, above: 0.7}")).journeys().get(0);
            assertThat(j.trigger()).isEqualTo(new Trigger(Trigger.Kind.SCORE, null, "customer.churn_score > 0.7",
                    "churn score > 0.7"));
        }

        @Test
        void everyActionType() {
            String steps = String.join("", List.of(
                    "      - {delay: 0min, action: {type: tags, add: [new_customer], remove: [active_customer]}}\n",
                    "      - {delay: 1h, action: {type: group_invite, group_type: Welcome Perks Group, text: Join us}}\n",
                    "      - {delay: 2h, action: {type: coupon, coupon: new_member_20_off_99, text: A gift}}\n",
                    "      - {delay: 3h, action: {type: moments_post, text: Hello again, visible_to_tag: dormant_customer}}\n",
                    "      - {delay: 4h, action: {type: group_message, content: value, text: Say hi}}\n",
                    "      - {delay: 5h, action: {type: stage, stage: dormant}}\n",
                    "      - {delay: 6h, action: {type: lower_priority}}\n",
                    "      - {delay: 7h, action: {type: message, kind: miniprogram, content: promotional, title: Sale, url: pages/sale/index, text: Sale}}\n",
                    "      - {delay: 8h, action: {type: message, kind: image, content: value, url: \"https://img.example.com/a.png\", text: Look}}\n",
                    "      - {delay: 9h, action: {type: staff_task, task: churn_follow_up, content: value, draft: Hi, senior: true}}\n"));
            String yaml = yaml(ACTIVATION.substring(0, ACTIVATION.indexOf("      - delay: 0min")) + steps);
            assertThat(Blueprint.load(loader, yaml).journeys().get(0).steps()).extracting(JourneyStep::action)
                    .containsExactly(
                            new Action.ChangeTags(List.of("new_customer"), List.of("active_customer")),
                            new Action.GroupInvite("Welcome Perks Group", "Join us"),
                            new Action.IssueCoupon("new_member_20_off_99", "A gift"),
                            new Action.MomentsPost("Hello again", "dormant_customer"),
                            new Action.GroupMessage(ContentClass.VALUE, "Say hi"),
                            new Action.ChangeStage("dormant"),
                            new Action.LowerPriority(),
                            new Action.SendMessage(Action.MessageKind.MINIPROGRAM, ContentClass.PROMOTIONAL, "Sale",
                                    "Sale", "pages/sale/index"),
                            new Action.SendMessage(Action.MessageKind.IMAGE, ContentClass.VALUE, "Look", null,
                                    "https://img.example.com/a.png"),
                            new Action.StaffTask("churn_follow_up", ContentClass.VALUE, "Hi", true));
        }

        @Test
        void stepsDueAtTheSameTimeKeepTheirOrder() {
            assertThat(Blueprint.load(loader, activation("delay: 72h", "delay: 0min")).journeys().get(0).steps())
                    .hasSize(2);
        }

        @Test
        void documentationFeaturesAreAccepted() {
            assertThat(Blueprint.load(loader, activation("    goal:", "    features: [Days since last purchase]\n    goal:"))
                    .journeys()).hasSize(1);
        }
    }

    @Nested
    class Journeys {
        @Test
        void misspeltKeySuggestsTheRightOne() {
            String yaml = activation("    steps:", "    step:");
            assertThat(problems(yaml)).containsExactly(
                    problem(yaml, "description:", P + "steps", "missing required field 'steps'"),
                    problem(yaml, "step:", P + "step", "unknown key 'step'; did you mean 'steps'?"));
        }

        @Test
        void nameMustFitInRunKeys() {
            String yaml = activation("  activation:", "  New#Activation:");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "New#Activation", "lifecycle_automation.New#Activation",
                    "journey name 'New#Activation' must be 1-64 lowercase letters, digits or '_', starting with a"
                            + " letter (it is part of every run's key)"));
        }

        @Test
        void aJourneyNeedsSteps() {
            String yaml = yaml(ACTIVATION.substring(0, ACTIVATION.indexOf("    steps:")) + "    steps: []\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "[]", P + "steps", "a journey needs at least one step"));
        }

        @Test
        void misspeltAnchor() {
            String yaml = activation("    goal:", "    anchor: last_activty\n    goal:");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "last_activty", P + "anchor",
                    "unknown anchor 'last_activty' (known: event, last_activity); did you mean 'last_activity'?"));
        }

        @Test
        void restartIsTrueOrFalse() {
            String yaml = activation("    goal:", "    restart: yes\n    goal:");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "yes", P + "restart",
                    "restart must be true or false, got 'yes'"));
        }

        @Test
        void goalWindowIsALength() {
            String yaml = activation("within: 7d", "within: a week");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "a week", P + "goal.within",
                    "'a week' is not a delay; write a number with min, h or d, such as 0min, 30min, 2h, 24h or 7d"));
        }

        @Test
        void goalEventIsOneTheSuiteReports() {
            String yaml = activation("event: first_purchase", "event: first_order");
            assertThat(onlyProblem(yaml).message()).startsWith("unknown event 'first_order' (known: contact_added,");
        }

        @Test
        void exitConditionWithAnUnclosedParenthesis() {
            String yaml = activation("    goal:", "    exit_when: '(customer.has_purchased'\n    goal:");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "'(customer", P + "exit_when",
                    "exit_when is not a valid CEL expression: '(' at character 1 is never closed"));
        }
    }

    @Nested
    class Triggers {
        private static final String TRIGGER = "{event: contact_added, prose: Added as WeCom friend}";

        @Test
        void unknownEventSuggestsTheClosest() {
            String yaml = activation("event: contact_added", "event: contact_add");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "contact_add,", P + "trigger.event",
                    "unknown event 'contact_add' (known: contact_added, purchase, first_purchase, tag_added,"
                            + " joined_group, left_group, reply, store_visit); did you mean 'contact_added'?"));
        }

        @Test
        void twoKindsAtOnce() {
            String yaml = activation(TRIGGER, "{event: contact_added, condition: 'customer.has_purchased'}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{event: contact_added, condition", P + "trigger",
                    "a trigger has one of event:, condition: or score:, not event and condition"));
        }

        @Test
        void noKindAtAll() {
            String yaml = activation(TRIGGER, "{prose: Added as WeCom friend}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{prose", P + "trigger",
                    "a trigger needs one of event:, condition: or score: (with above:)"));
        }

        @Test
        void theSeedsProseIsNoTrigger() {
            String yaml = activation(TRIGGER, "\"Added as WeCom friend\"");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "\"Added as", P + "trigger",
                    "expected a mapping (key: value lines), got the string 'Added as WeCom friend'"));
        }

        @Test
        void whenFiltersOnlyEvents() {
            String yaml = activation(TRIGGER, "{condition: 'customer.has_purchased', when: 'customer.order_count > 1'}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "'customer.order_count", P + "trigger.when",
                    "when: filters an event trigger; put the whole test in condition:"));
        }

        @Test
        void scoreThresholdIsAProbability() {
            String yaml = activation(TRIGGER, "{score: churn, above: 70}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "70}", P + "trigger.above",
                    "above 70 is outside 0..1 (scores are probabilities; 0.7 for 70%)"));
        }

        @Test
        void thresholdIsWrittenOutForCel() {
            Trigger t = Blueprint.load(loader, activation(TRIGGER, "{score: churn, above: .75}")).journeys().get(0)
                    .trigger();
            assertThat(t.condition()).isEqualTo("customer.churn_score > 0.75");
        }

        @Test
        void scoreNeedsItsThreshold() {
            String yaml = activation(TRIGGER, "{score: churn}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{score", P + "trigger.above",
                    "missing required field 'above'"));
        }

        @Test
        void unknownScore() {
            String yaml = activation(TRIGGER, "{score: loyalty, above: 0.5}");
            assertThat(onlyProblem(yaml).message()).isEqualTo("unknown score 'loyalty' (known: churn)");
        }

        @Test
        void filterWithAnUnclosedString() {
            String yaml = activation(TRIGGER, "{event: joined_group, when: 'event.group_type == \"VIP'}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "'event.group_type", P + "trigger.when",
                    "when is not a valid CEL expression: string starting at character 21 is never closed (\")"));
        }
    }

    @Nested
    class Delays {
        @Test
        void minutesNeedMin() {
            String yaml = activation("delay: 72h", "delay: 30m");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "30m", P + "steps[1].delay",
                    "'30m' is ambiguous; write minutes as 30min (and months in days)"));
        }

        @Test
        void weeksAreWrittenInDays() {
            String yaml = activation("delay: 72h", "delay: 2w");
            assertThat(onlyProblem(yaml).message()).isEqualTo("'2w': write weeks in days, 14d");
        }

        @Test
        void aNumberWithoutUnit() {
            String yaml = activation("delay: 72h", "delay: 72");
            assertThat(onlyProblem(yaml).message()).isEqualTo("'72' has no unit; write a number with min, h or d,"
                    + " such as 0min, 30min, 2h, 24h or 7d");
        }

        @Test
        void cycleDelayInAJourneyWithoutCycles() {
            String yaml = activation("delay: 72h", "delay: cycle-3d");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "cycle-3d", P + "steps[1].delay",
                    "'cycle-3d' counts from the consumption cycle, but this journey declares none; add"
                            + " consumption_cycles or default_cycle"));
        }

        @Test
        void cycleFormsAreOfferedWhereCyclesExist() {
            String yaml = repurchase("delay: cycle-7d", "delay: cycle-1week");
            assertThat(onlyProblem(yaml).message()).isEqualTo("'cycle-1week' is not a delay; write a number with min,"
                    + " h or d, such as 0min, 30min, 2h, 24h or 7d, or cycle, cycle-7d or cycle+2d");
        }

        @Test
        void stepsOutOfOrder() {
            String yaml = activation("delay: 0min", "delay: 80h");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "72h", P + "steps[1].delay",
                    "step 2 ('72h') is due before step 1 ('80h'); list steps in the order they are due"));
        }

        @Test
        void outOfOrderForOneCycleOnly() {
            // with baby_care's 14d cycle the survey (day 7) comes before day 10, with skincare's (day 23) after
            String yaml = repurchase("delay: cycle\n", "delay: 10d\n");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "10d", "lifecycle_automation.repurchase.steps[1].delay",
                    "step 2 ('10d') is due before step 1 ('cycle-7d') with the 30d cycle of skincare; list steps in the"
                            + " order they are due"));
        }

        @Test
        void cycleStepBeforeThePurchase() {
            String yaml = repurchase("delay: cycle-7d", "delay: cycle-20d");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "cycle-20d", "lifecycle_automation.repurchase.steps[0].delay",
                    "'cycle-20d' falls before the run starts with the 14d cycle of baby_care"));
        }

        @Test
        void cycleCategoryIsADeclaredTag() {
            String yaml = repurchase("baby_care: 14d", "baby_cares: 14d");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "baby_cares",
                    "lifecycle_automation.repurchase.consumption_cycles.baby_cares",
                    "unknown tag 'baby_cares': it is in no tag_system dimension (declare it there); did you mean 'baby_care'?"));
        }

        @Test
        void cycleIsALength() {
            String yaml = repurchase("default_cycle: 30d", "default_cycle: 0d");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "0d\n", "lifecycle_automation.repurchase.default_cycle",
                    "default_cycle must be longer than 0d"));
        }
    }

    @Nested
    class Actions {
        private static final String MESSAGE = "{type: message, content: value, text: Welcome}";

        @Test
        void unknownTypeSuggestsTheClosest() {
            String yaml = activation(MESSAGE, "{type: mesage, content: value, text: Welcome}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "mesage", P + "steps[0].action.type",
                    "unknown action type 'mesage' (known: message, staff_task, tags, group_invite, coupon, moments_post,"
                            + " group_message, stage, lower_priority); did you mean 'message'?"));
        }

        @Test
        void requiredFieldOfTheType() {
            String yaml = activation(", draft: What do you need}", "}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{type: staff_task", P + "steps[1].action.draft",
                    "missing required field 'draft'"));
        }

        @Test
        void fieldOfAnotherType() {
            String yaml = activation(MESSAGE, "{type: message, content: value, text: Welcome, draft: Hi}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "draft: Hi", P + "steps[0].action.draft",
                    "unknown key 'draft' (known: type, content, text, kind, title, url, picture, subscription)"));
        }

        @Test
        void contentIsValueOrPromotional() {
            String yaml = activation(MESSAGE, "{type: message, content: values, text: Welcome}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "values", P + "steps[0].action.content",
                    "unknown content class 'values' (known: value, promotional); did you mean 'value'?"));
        }

        @Test
        void contentIsRequiredWhereItReachesSomeone() {
            String yaml = activation(MESSAGE, "{type: message, text: Welcome}");
            assertThat(onlyProblem(yaml).path()).isEqualTo(P + "steps[0].action.content");
        }

        @Test
        void linkNeedsWhatItOpensAndAHeadline() {
            String yaml = activation(MESSAGE, "{type: message, kind: link, content: value, text: Survey}");
            assertThat(problems(yaml)).containsExactly(
                    problem(yaml, "{type: message", P + "steps[0].action.url", "a link message needs url:"),
                    problem(yaml, "{type: message", P + "steps[0].action.title",
                            "a link message needs title: (the card's headline)"));
        }

        @Test
        void unknownMessageKind() {
            String yaml = activation(MESSAGE, "{type: message, kind: video, content: value, text: Welcome}");
            assertThat(onlyProblem(yaml).message()).isEqualTo("unknown message kind 'video' (known: text, image, link,"
                    + " miniprogram)");
        }

        @Test
        void taskIsOneWord() {
            String yaml = activation("task: needs_diagnosis", "task: Needs Diagnosis");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "Needs Diagnosis", P + "steps[1].action.task",
                    "task 'Needs Diagnosis' must be one word of lowercase letters, digits and '_', such as needs_diagnosis,"
                            + " care_message, restock_reminder, churn_follow_up; did you mean 'needs_diagnosis'?"));
        }

        @Test
        void seniorIsTrueOrFalse() {
            String yaml = activation("draft: What do you need}", "draft: What do you need, senior: maybe}");
            assertThat(onlyProblem(yaml).message()).isEqualTo("senior must be true or false, got 'maybe'");
        }

        @Test
        void tagsMustBeDeclared() {
            String yaml = activation(MESSAGE, "{type: tags, add: [VIP], remove: [active_custmer]}");
            assertThat(problems(yaml)).containsExactly(
                    problem(yaml, "VIP]", P + "steps[0].action.add[0]",
                            "unknown tag 'VIP': it is in no tag_system dimension (declare it there)"),
                    problem(yaml, "active_custmer", P + "steps[0].action.remove[0]", "unknown tag 'active_custmer': it is"
                            + " in no tag_system dimension (declare it there); did you mean 'active_customer'?"));
        }

        @Test
        void tagsActionThatChangesNothing() {
            String yaml = activation(MESSAGE, "{type: tags, add: []}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "{type: tags", P + "steps[0].action",
                    "a tags action must add or remove at least one tag"));
        }

        @Test
        void momentsAudienceTagMustBeDeclared() {
            String yaml = activation(MESSAGE, "{type: moments_post, text: Hi, visible_to_tag: dormant_customr}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "dormant_customr", P + "steps[0].action.visible_to_tag",
                    "unknown tag 'dormant_customr': it is in no tag_system dimension (declare it there); did you mean"
                            + " 'dormant_customer'?"));
        }

        @Test
        void inviteToAGroupTypeThatExists() {
            String yaml = activation(MESSAGE, "{type: group_invite, group_type: VIP Group, text: Join}");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "VIP Group", P + "steps[0].action.group_type",
                    "unknown group type 'VIP Group' (known: VIP Member Group, Welcome Perks Group)"));
        }

        @Test
        void unknownStage() {
            String yaml = activation(MESSAGE, "{type: stage, stage: dormnt}");
            assertThat(onlyProblem(yaml).message()).isEqualTo("unknown stage 'dormnt' (known: new, growth, mature,"
                    + " dormant, churn_warning, churned); did you mean 'dormant'?");
        }

        @Test
        void stepConditionWithAnUnclosedParenthesis() {
            String yaml = activation("'!customer.has_purchased'", "'!(customer.has_purchased'");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "'!(customer", P + "steps[1].condition",
                    "condition is not a valid CEL expression: '(' at character 2 is never closed"));
        }

        @Test
        void misspeltStepKey() {
            String yaml = activation("    label: 1-on-1", "    lable: 1-on-1");
            assertThat(onlyProblem(yaml)).isEqualTo(problem(yaml, "lable", P + "steps[1].lable",
                    "unknown key 'lable'; did you mean 'label'?"));
        }
    }
}
