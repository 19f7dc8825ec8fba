package dev.siyu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A small demo run on in-memory stores: the guardrail invariants hold and the loop does real work. */
class SimulationTest {
    static final Path EXAMPLE = Path.of("../../../config/scrm.example.yaml");

    @Test
    void aSmallPopulationOverAMonthKeepsEveryGuardrail() {
        CelConditionCompiler cel = new CelConditionCompiler();
        ScrmConfig config = new ConfigLoader(cel).load(EXAMPLE);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        Simulation sim = MemoryWorld.create(config, cel, new Simulation.Settings(150, 30, 7), start);
        sim.setUp(MemoryWorld.groups(config, 150, start));
        sim.run(p -> { });
        Report report = Report.of(sim, Duration.ZERO);
        Invariants inv = report.invariants(sim);
        report.print(System.out);

        assertThat(inv.customers()).isEqualTo(150);
        assertThat(inv.touchesTotal()).isGreaterThan(150);
        assertThat(inv.touchesAfterDelete()).isZero();
        assertThat(inv.touchesAfterConsentWithdrawal()).isZero();
        assertThat(inv.touchesOutsideBusinessHours()).isZero();
        // Every add_msg_template recipient counts; the demo sends no transactional task, so the month's last slot
        // (mass_message_reserve) stays free and no customer gets more than 3.
        assertThat(inv.maxMassMessagesPerCustomerMonth()).isEqualTo(3);
        assertThat(report.json().with("staff_desk").path("sent").asLong()).isPositive();
        assertThat(report.json().with("staff_desk").path("expired").asLong()).isPositive();
        assertThat(report.json().with("gate").path("DROP:MASS_MESSAGE_CAP").asLong()).isPositive();
        assertThat(report.json().with("journeys").fieldNames()).toIterable().contains("new_customer_activation",
                "repurchase_reminder", "dormant_reactivation", "churn_early_warning", "new_member_onboarding");
        assertThat(report.json().with("gate").path("ALLOW").asLong()).isPositive();
        assertThat(report.json().with("gate").path("DROP:CONSENT").asLong()).isPositive();
        assertThat(inv.maxMomentsPostsPerDay()).isLessThanOrEqualTo(1);
        assertThat(report.violations(sim)).isEmpty();
        assertThat(sim.stepsRun()).isGreaterThan(150);
        // Replies reach the engine as in production: the advisor marks them in the staff sidebar.
        assertThat(sim.timelines().values().stream().flatMap(java.util.List::stream)
                .filter(e -> e.kind().equals("reply")).toList()).isNotEmpty().allSatisfy(e -> {
                    assertThat(e.details()).containsEntry("source", "sidebar");
                    assertThat(e.staffUserId()).isNotNull();
                });
    }
}
