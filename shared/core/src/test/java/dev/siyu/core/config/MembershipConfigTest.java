package dev.siyu.core.config;

import static dev.siyu.core.config.Blueprint.BASE;
import static dev.siyu.core.config.Blueprint.CALENDAR;
import static dev.siyu.core.config.Blueprint.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.IdentityType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The blueprint's membership section: read as written, each mistake reported at its line. */
class MembershipConfigTest {
    private static final String MEMBERSHIP = """
            membership:
              points_per_unit: 2
              currency: CNY
              points_expire_after: 365d
              tiers:
                - {name: silver, min_points: 0, benefits: [birthday_coupon]}
                - {name: gold, min_points: 2000, benefits: [free_shipping]}
              identity_blocklist:
                phone: ["+86 21 6123 4567", "+86 138 0013 8000"]
                email: [Test@Brand.example]
              rewards:
                - {id: sample-kit, name: Sample kit, points: 100}
                - {id: coupon-50, name: CNY 50 coupon, points: 500, perk: true}
              challenges:
                - {id: first-order, name: First order, measure: orders, target: 1}
                - {id: explorer, name: Browse 10 pages, measure: interactions, target: 10}
            """;
    private final ConfigLoader loader = new ConfigLoader();

    private static String membership(String original, String replacement) {
        assertThat(MEMBERSHIP.indexOf(original)).as(original).isNotNegative();
        return BASE + CALENDAR + MEMBERSHIP.replace(original, replacement);
    }

    @Test
    void theSectionIsReadAsWritten() {
        Membership m = Blueprint.load(loader, BASE + CALENDAR + MEMBERSHIP).membership();

        assertThat(m.pointsPerUnit()).isEqualTo(2);
        assertThat(m.pointsFor(new BigDecimal("388.99"))).isEqualTo(776);
        assertThat(m.pointsExpireAfter()).isEqualTo(Duration.ofDays(365));
        assertThat(m.tierFor(1999)).map(Membership.Tier::name).contains("silver");
        assertThat(m.tierFor(2000)).map(Membership.Tier::name).contains("gold");
        assertThat(m.blocked(IdentityType.PHONE, "+8613800138000")).isTrue();
        assertThat(m.blocked(IdentityType.EMAIL, "test@brand.example")).isTrue();
        assertThat(m.rewards()).containsExactly(new Membership.Reward("sample-kit", "Sample kit", 100, false),
                new Membership.Reward("coupon-50", "CNY 50 coupon", 500, true));
        assertThat(m.challenges()).containsExactly(
                new Membership.Challenge("first-order", "First order", Membership.Measure.ORDERS, 1),
                new Membership.Challenge("explorer", "Browse 10 pages", Membership.Measure.INTERACTIONS, 10));
    }

    @Test
    void withoutTheSectionNothingEarnsAndNothingIsBlocked() {
        Membership m = Blueprint.load(loader, BASE + CALENDAR).membership();

        assertThat(m.pointsFor(new BigDecimal("388.00"))).isZero();
        assertThat(m.tierFor(10_000)).isEmpty();
    }

    @Test
    void theExampleBlueprintGivesPointsForEveryOrder() {
        Membership m = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml")).membership();

        assertThat(m.pointsFor(new BigDecimal("1.00"))).isPositive();
        assertThat(m.tiers()).isNotEmpty();
        assertThat(m.rewards()).extracting(Membership.Reward::id).containsExactly("sample-kit", "coupon-50", "gift-wrap");
        assertThat(m.reward("coupon-50")).map(Membership.Reward::perk).contains(true);
        assertThat(m.challenges()).extracting(Membership.Challenge::measure).containsExactly(Membership.Measure.ORDERS,
                Membership.Measure.ORDERS, Membership.Measure.INTERACTIONS, Membership.Measure.POINTS_EARNED);
    }

    @Test
    void aRewardIdDeclaredTwiceIsReportedAtTheSecond() {
        String yaml = membership("id: coupon-50", "id: sample-kit");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "sample-kit, name: CNY 50",
                "membership.rewards[1].id", "reward 'sample-kit' is declared twice"));
    }

    @Test
    void aRewardCostsAtLeastOnePoint() {
        String yaml = membership("points: 500", "points: 0");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "0, perk: true",
                "membership.rewards[1].points", "points 0 must be positive: a reward costs at least 1 point"));
    }

    @Test
    void anUnknownMeasureSuggestsTheClosest() {
        String yaml = membership("measure: interactions", "measure: interaction");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "interaction, target: 10",
                "membership.challenges[1].measure",
                "unknown measure 'interaction' (known: orders, points_earned, interactions); did you mean 'interactions'?"));
    }

    @Test
    void aChallengeIdDeclaredTwiceAndANonPositiveTarget() {
        String yaml = membership("id: explorer, name: Browse 10 pages, measure: interactions, target: 10",
                "id: first-order, name: Browse 10 pages, measure: interactions, target: -1");
        assertThat(Blueprint.problems(loader, yaml)).extracting(ConfigProblem::path)
                .containsExactly("membership.challenges[1].id", "membership.challenges[1].target");
    }

    @Test
    void aTierListedOutOfOrderIsReportedAtItsLine() {
        String yaml = membership("min_points: 2000", "min_points: 0");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "0, benefits: [free_shipping]",
                "membership.tiers[1].min_points", "min_points 0 must be above the previous tier's 0 (list tiers from the lowest)"));
    }

    @Test
    void theFirstTierStartsAtZero() {
        String yaml = membership("min_points: 0", "min_points: 10");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "10, benefits: [birthday_coupon]",
                "membership.tiers[0].min_points", "the first tier must have min_points 0 (every member has a tier)"));
    }

    @Test
    void anUnknownCurrency() {
        String yaml = membership("currency: CNY", "currency: RMB");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "RMB", "membership.currency",
                "currency 'RMB' is not an ISO 4217 code such as CNY"));
    }

    @Test
    void aBlocklistedPhoneThatIsNoNumber() {
        String yaml = membership("\"+86 21 6123 4567\"", "\"call the store\"");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "\"call the store\"",
                "membership.identity_blocklist.phone[0]",
                "'call the store' is not a phone number (write it as +8613800138000)"));
    }

    @Test
    void aMisspeltKeyIsNamed() {
        String yaml = membership("points_per_unit: 2", "points_per_yuan: 2");
        assertThat(Blueprint.onlyProblem(loader, yaml).message()).isEqualTo(
                "unknown key 'points_per_yuan' (known: points_per_unit, currency, points_expire_after, tiers, "
                        + "identity_blocklist, rewards, challenges)");
    }

    @Test
    void anExpiryThatIsNoDuration() {
        String yaml = membership("points_expire_after: 365d", "points_expire_after: a year");
        assertThat(Blueprint.onlyProblem(loader, yaml)).isEqualTo(problem(yaml, "a year",
                "membership.points_expire_after", "points_expire_after 'a year' must be a number of days such as 365d"));
    }
}
