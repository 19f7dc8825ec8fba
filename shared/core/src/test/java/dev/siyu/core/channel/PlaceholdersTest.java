package dev.siyu.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void knownPlaceholders() {
        assertThat(Placeholders.KNOWN).containsExactlyInAnyOrder("staff_name", "store_name", "city");
        assertThat(Placeholders.STORE_ONLY).containsExactlyInAnyOrder("store_name", "city");
    }

    @Test
    void findReturnsEachNameOnceInOrderOfFirstUse() {
        assertThat(Placeholders.find("Welcome to {store_name} in {city}! I'm {staff_name} from {store_name}"))
                .containsExactly("store_name", "city", "staff_name");
    }

    @Test
    void findCatchesMisspeltNamesToo() {
        assertThat(Placeholders.find("Hi {staff-name} and {Staff_Name}")).containsExactly("staff-name", "Staff_Name");
    }

    @Test
    void emptyOrSpacedBracesAreNoPlaceholders() {
        assertThat(Placeholders.find("plain text, {} and { } and {staff name}")).isEmpty();
    }

    @Test
    void renderFillsEveryPlaceholder() {
        assertThat(Placeholders.render("Welcome to {store_name} ({city}), I'm {staff_name}",
                Map.of("store_name", "West Lake Store", "city", "hangzhou", "staff_name", "Wu Jiu")))
                .isEqualTo("Welcome to West Lake Store (hangzhou), I'm Wu Jiu");
    }

    @Test
    void renderIgnoresUnusedValues() {
        assertThat(Placeholders.render("Hi, I'm {staff_name}", Map.of("staff_name", "Li Si", "city", "shanghai")))
                .isEqualTo("Hi, I'm Li Si");
    }

    @Test
    void renderedValuesAreNotExpandedAgainAndRegexCharactersStayLiteral() {
        assertThat(Placeholders.render("{staff_name} / {city}", Map.of("staff_name", "{city} $1 \\o/", "city", "shanghai")))
                .isEqualTo("{city} $1 \\o/ / shanghai");
    }

    @Test
    void renderRefusesAMissingValueAndNamesIt() {
        assertThatThrownBy(() -> Placeholders.render("Welcome to {store_name}, I'm {staff_name}",
                Map.of("staff_name", "Zhou Ba")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{store_name}")
                .hasMessageNotContaining("{staff_name} in");
    }
}
