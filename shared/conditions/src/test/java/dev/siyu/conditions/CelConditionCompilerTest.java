package dev.siyu.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionException;
import dev.siyu.core.condition.Facts;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** GIVEN real profiles turned into facts by {@link Facts}, WHEN a condition is compiled and evaluated, THEN ... */
class CelConditionCompilerTest {
    private static final Instant ADDED = Instant.parse("2026-01-05T02:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T02:00:00Z");
    private static final String VIP = "customer.total_spend > 1000.0 || \"VIP\" in customer.tags";

    private final CelConditionCompiler compiler = new CelConditionCompiler();

    private static CustomerProfile profile(Set<String> tags, Activity activity) {
        return new CustomerProfile("demo-brand", "c1", "Lin", null, "livestream_qr", "Livestream QR Code", null,
                "shanghai", tags, Map.of(), Map.of(), ADDED, ADDED, activity);
    }

    private static Map<String, Object> vars(CustomerProfile p) {
        return Facts.vars(Facts.customer(p, NOW), Map.of(), Map.of(), NOW);
    }

    private boolean holds(String expression, CustomerProfile p) {
        return compiler.compile(expression).holds(vars(p));
    }

    private ConditionException compileError(String expression) {
        ConditionException e = catchThrowableOfType(ConditionException.class, () -> compiler.compile(expression));
        assertThat(e).as("expected '" + expression + "' not to compile").isNotNull();
        return e;
    }

    @Nested
    class VipEntryCondition {
        @Test
        void bigSpenderWithoutTheTagIsIn() {
            Activity spent = Activity.NONE.purchased(1200.0, "skincare", ADDED.plus(Duration.ofDays(3)));
            assertThat(holds(VIP, profile(Set.of(), spent))).isTrue();
        }

        @Test
        void taggedVipWithoutSpendIsIn() {
            assertThat(holds(VIP, profile(Set.of("VIP"), Activity.NONE))).isTrue();
        }

        @Test
        void exactlyAThousandIsNotMoreThanAThousand() {
            Activity spent = Activity.NONE.purchased(1000.0, "skincare", ADDED);
            assertThat(holds(VIP, profile(Set.of("new_customer"), spent))).isFalse();
        }

        @Test
        void anIntLiteralComparesWithMoney() {
            // operators write "> 2000" as in the seed; CEL alone would find no double > int overload
            Activity spent = Activity.NONE.purchased(2500.0, null, ADDED);
            assertThat(holds("customer.total_spend > 2000", profile(Set.of(), spent))).isTrue();
            assertThat(holds("customer.total_spend > 3000", profile(Set.of(), spent))).isFalse();
        }
    }

    @Nested
    class DayCounts {
        @Test
        void noInteractionCountsFromTheAdd() {
            // 55 days since the add, no interaction and no purchase: the dormant trigger
            String dormant = "customer.days_since_last_interaction >= 30 && customer.days_since_last_purchase >= 30";
            assertThat(holds(dormant, profile(Set.of(), Activity.NONE))).isTrue();
        }

        @Test
        void aRecentReplyIsNotDormant() {
            Activity replied = Activity.NONE.interacted(NOW.minus(Duration.ofDays(2)), true);
            assertThat(holds("customer.days_since_last_interaction >= 30", profile(Set.of(), replied))).isFalse();
            assertThat(holds("customer.days_since_last_interaction == 2", profile(Set.of(), replied))).isTrue();
        }

        @Test
        void purchasedFlagAndOrderCount() {
            Activity bought = Activity.NONE.purchased(99.0, "cosmetics", NOW.minus(Duration.ofHours(3)));
            CustomerProfile p = profile(Set.of(), bought);
            assertThat(holds("customer.has_purchased", p)).isTrue();
            assertThat(holds("!customer.has_purchased", profile(Set.of(), Activity.NONE))).isTrue();
            assertThat(holds("customer.order_count == 1 && customer.days_since_last_purchase == 0", p)).isTrue();
        }

        @Test
        void churnScoreAboveTheThreshold() {
            assertThat(holds("customer.churn_score > 0.7", profile(Set.of(), Activity.NONE.withChurnScore(0.82))))
                    .isTrue();
            assertThat(holds("customer.churn_score > 0.7", profile(Set.of(), Activity.NONE))).isFalse();
        }
    }

    @Nested
    class Timestamps {
        @Test
        void purchaseOlderThanThirtyDays() {
            Activity old = Activity.NONE.purchased(300.0, "skincare", NOW.minus(Duration.ofDays(31)));
            Activity recent = Activity.NONE.purchased(300.0, "skincare", NOW.minus(Duration.ofDays(29)));
            String expression = "now - customer.last_purchase_at > duration(\"720h\")";
            assertThat(holds(expression, profile(Set.of(), old))).isTrue();
            assertThat(holds(expression, profile(Set.of(), recent))).isFalse();
        }

        @Test
        void noResponseSinceTheRunStarted() {
            Instant started = NOW.minus(Duration.ofDays(90));
            CustomerProfile quiet = profile(Set.of(), Activity.NONE.interacted(started.minus(Duration.ofDays(40)), true));
            CustomerProfile answered = profile(Set.of(), Activity.NONE.interacted(started.plus(Duration.ofDays(50)), true));
            Condition stillQuiet = compiler.compile("customer.last_interaction_at <= run.started_at");
            Map<String, Object> run = Map.of("started_at", started);
            assertThat(stillQuiet.holds(Facts.vars(Facts.customer(quiet, NOW), run, Map.of(), NOW))).isTrue();
            assertThat(stillQuiet.holds(Facts.vars(Facts.customer(answered, NOW), run, Map.of(), NOW))).isFalse();
        }

        @Test
        void eventFilter() {
            Condition welcomeGroup = compiler.compile("event.group_type == \"Welcome Perks Group\"");
            Map<String, Object> customer = Facts.customer(profile(Set.of(), Activity.NONE), NOW);
            assertThat(welcomeGroup.holds(Facts.vars(customer, Map.of(), Map.of("group_type", "Welcome Perks Group"),
                    NOW))).isTrue();
            assertThat(welcomeGroup.holds(Facts.vars(customer, Map.of(), Map.of("group_type", "VIP Member Group"),
                    NOW))).isFalse();
        }

        @Test
        void macrosAreOn() {
            CustomerProfile p = profile(Set.of("skincare", "VIP"), Activity.NONE);
            assertThat(holds("customer.tags.exists(t, t == \"skincare\")", p)).isTrue();
            assertThat(holds("has(customer.vip_level)", p)).isFalse();
            assertThat(holds("customer.tags.all(t, t.size() > 2)", p)).isTrue();
        }
    }

    @Nested
    class Mistakes {
        @Test
        void badSyntaxNamesItsColumn() {
            ConditionException e = compileError("customer.total_spend > ");
            assertThat(e.column()).isEqualTo(24);
            assertThat(e.getMessage()).startsWith("mismatched input '<EOF>' expecting");
        }

        @Test
        void secondLineOfAConditionIsNamed() {
            ConditionException e = compileError("customer.has_purchased &&\n  customer.total_spend >> 3");
            assertThat(e.column()).isEqualTo(25);
            assertThat(e.getMessage()).contains("(line 2 of the condition)");
        }

        @Test
        void unknownVariableListsTheKnownOnes() {
            ConditionException e = compileError("customer.has_purchased && custmer.total_spend > 10.0");
            assertThat(e.column()).isEqualTo(27);
            assertThat(e.getMessage()).isEqualTo("undeclared reference to 'custmer' (the variables are customer, run,"
                    + " event, now)");
        }

        @Test
        void nonBoolResultIsACompileError() {
            ConditionException e = compileError("customer.order_count + 1");
            assertThat(e.getMessage()).isEqualTo("expected type 'bool' but found 'int'");
            assertThat(e.column()).isEqualTo(22);
        }

        @Test
        void comparingTwoTypesThatNeverMatch() {
            assertThat(compileError("now > 3").getMessage()).startsWith("found no matching overload for '_>_'");
        }

        @Test
        void emptyCondition() {
            assertThat(compileError("  ").getMessage()).isEqualTo("the condition is empty");
        }

        @Test
        void dynValueThatIsNoBoolFailsWhenEvaluated() {
            Condition spend = compiler.compile("customer.total_spend");
            ConditionException e = catchThrowableOfType(ConditionException.class,
                    () -> spend.holds(vars(profile(Set.of(), Activity.NONE))));
            assertThat(e.getMessage()).isEqualTo("condition 'customer.total_spend' gave 0.0 (a double), not true or false");
        }

        @Test
        void missingKeyIsAClearEvaluationError() {
            Condition typo = compiler.compile("customer.totl_spend > 1000.0");
            ConditionException e = catchThrowableOfType(ConditionException.class,
                    () -> typo.holds(vars(profile(Set.of(), Activity.NONE))));
            assertThat(e.getMessage()).isEqualTo("cannot evaluate condition 'customer.totl_spend > 1000.0' at column 9:"
                    + " key 'totl_spend' is not present in map");
            assertThat(e.column()).isEqualTo(9);
        }

        @Test
        void runFactMissingInAnEvaluation() {
            Condition c = compiler.compile("customer.last_interaction_at > run.started_at");
            ConditionException e = catchThrowableOfType(ConditionException.class,
                    () -> c.holds(vars(profile(Set.of(), Activity.NONE))));
            assertThat(e.getMessage()).endsWith("key 'started_at' is not present in map");
        }

        @Test
        void factOfTheWrongJavaTypeIsNamedAsSuch() {
            Condition c = compiler.compile("customer.order_count >= 3");
            ConditionException e = catchThrowableOfType(ConditionException.class,
                    () -> c.holds(Map.of("customer", Map.of("order_count", 3))));
            assertThat(e.getMessage()).contains("No matching overload").contains("Long");
        }
    }

    @Nested
    class Cache {
        @Test
        void sameTextGivesTheSameCompiledCondition() {
            assertThat(compiler.compile(VIP)).isSameAs(compiler.compile(VIP));
            assertThat(compiler.cachedCount()).isEqualTo(1);
        }

        @Test
        void failuresAreNotCached() {
            compileError("customer.");
            assertThat(compiler.cachedCount()).isZero();
        }

        @Test
        void boundedLeastRecentlyUsedFirst() {
            CelConditionCompiler small = new CelConditionCompiler(2);
            Condition a = small.compile("customer.order_count > 1");
            small.compile("customer.order_count > 2");
            small.compile("customer.order_count > 1");
            small.compile("customer.order_count > 3");
            assertThat(small.cachedCount()).isEqualTo(2);
            assertThat(small.compile("customer.order_count > 1")).isSameAs(a);
        }

        @Test
        void instancesDoNotShareACache() {
            new CelConditionCompiler().compile(VIP);
            assertThat(compiler.cachedCount()).isZero();
        }

        @Test
        void concurrentCompilesAndEvaluations() throws Exception {
            CelConditionCompiler shared = new CelConditionCompiler(16);
            Map<String, Object> vars = vars(profile(Set.of("VIP"), Activity.NONE));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String expression = "customer.order_count < " + (i % 40) + " || " + VIP;
                    results.add(pool.submit(() -> shared.compile(expression).holds(vars)));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(shared.cachedCount()).isEqualTo(16);
        }
    }
}
