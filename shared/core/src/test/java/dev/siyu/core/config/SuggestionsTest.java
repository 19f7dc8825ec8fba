package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void closeTyposAreSuggested() {
        assertThat(Suggestions.closest("live_teem", List.of("sales_team_east", "live_team"))).contains("live_team");
        assertThat(Suggestions.closest("Round_Robin", List.of("auto_assign", "round_robin"))).contains("round_robin");
    }

    @Test
    void distantWordsAreNot() {
        assertThat(Suggestions.closest("vip", List.of("sms", "churned"))).isEmpty();
        assertThat(Suggestions.closest("colour", List.of("name", "type", "state"))).isEmpty();
    }

    @Test
    void editDistance() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
        // a swap of neighbours is one typo, not two
        assertThat(Suggestions.distance("lable", "label")).isEqualTo(1);
        assertThat(Suggestions.closest("lable", List.of("delay", "label"))).contains("label");
    }
}
