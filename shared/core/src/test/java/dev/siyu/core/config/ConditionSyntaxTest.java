package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionSyntaxTest {

    @Test
    void balancedExpressionsPass() {
        assertThat(ConditionSyntax.imbalance("customer.total_spend > 1000.0 || \"VIP\" in customer.tags")).isEmpty();
        assertThat(ConditionSyntax.imbalance("size(customer.tags.filter(t, t in ['a', \"b)\"])) > 0")).isEmpty();
        assertThat(ConditionSyntax.imbalance("customer.name == 'it\\'s'")).isEmpty();
    }

    @Test
    void unclosedBracket() {
        assertThat(ConditionSyntax.imbalance("(a || b")).contains("'(' at character 1 is never closed");
    }

    @Test
    void strayClosingBracket() {
        assertThat(ConditionSyntax.imbalance("a || b)")).contains("')' at character 7 has no opening bracket");
    }

    @Test
    void mismatchedBrackets() {
        assertThat(ConditionSyntax.imbalance("x in [1, 2)"))
                .contains("')' at character 11 does not match '[' at character 6");
    }

    @Test
    void unclosedString() {
        assertThat(ConditionSyntax.imbalance("'VIP in customer.tags")).contains("string starting at character 1 is never closed (')");
    }
}
