package dev.siyu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.memory.faults.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo on in-memory stores with 5% of the engine's I/O failing: nothing lost, nothing doubled.
 * The seeds are tagged {@code faults} and left out of the default build until issue 10's engine fixes
 * are merged (they fail before them: stuck runs, missing activation runs, counts that differ); run
 * them with {@code -DexcludedGroups= -Dgroups=faults}. The determinism test runs always.
 */
class FaultedSimulationTest {
    static final Instant START = Instant.parse("2026-10-31T16:00:00Z");
    static final double RATE = 0.05;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyInvariantHoldsAtFivePercentFaults(long seed) {
        Simulation sim = run(seed, 120, 14);
        Report report = Report.of(sim, Duration.ZERO);
        Invariants inv = report.invariants(sim);
        assertThat(sim.faults().counts().values().stream().mapToLong(Long::longValue).sum()).isPositive();
        assertThat(inv.duplicateTouches()).as("duplicate_touches").isZero();
        assertThat(inv.callsWithoutTouchId()).as("calls_without_touch_id").isZero();
        assertThat(inv.stuckRuns()).as("stuck_runs").isZero();
        assertThat(inv.missingActivationRuns()).as("missing_activation_runs").isZero();
        assertThat(inv.touchCountMismatches()).as("touch_count_mismatches").isZero();
        assertThat(inv.capCountMismatches()).as("cap_count_mismatches").isZero();
        assertThat(inv.poolLoadMismatches()).as("pool_load_mismatches").isZero();
        assertThat(inv.violations(sim.config().guardrails())).isEmpty();
        // The members' requests and orders failed too (a crash answers 502) and were sent again: points once,
        // ledgers that sum, every member one customer with their WeCom contact.
        report.memberInvariants().forEach((name, n) -> assertThat(n).as(name).isZero());
        assertThat(report.json().path("members").path("orders").path("accepted").asLong()).isPositive();
        assertThat(report.violations(sim)).isEmpty();
    }

    @Test
    void theSameSeedStartAndFaultsGiveTheSameRunAndRecord(@TempDir Path dir) throws Exception {
        Simulation first = run(11, 60, 7);
        Simulation second = run(11, 60, 7);
        ObjectNode a = Report.of(first, Duration.ofSeconds(1)).json();
        ObjectNode b = Report.of(second, Duration.ofSeconds(2)).json();
        // The wall time is the one number that is not the run's.
        a.with("run").remove("wall_seconds");
        b.with("run").remove("wall_seconds");
        assertThat(a.with("faults").size()).isEqualTo(Report.FAULT_KINDS.size());
        assertThat(a.with("faults").path(Faults.CRASH).asLong()).isPositive();
        assertThat(b).isEqualTo(a);
        Recording.write(dir.resolve("a"), first);
        Recording.write(dir.resolve("b"), second);
        for (String file : new String[] {"calls.jsonl", "timeline.jsonl", "runs.jsonl", "touches.jsonl", "loads.jsonl"}) {
            assertThat(Files.readString(dir.resolve("b").resolve(file))).as(file)
                    .isEqualTo(Files.readString(dir.resolve("a").resolve(file)));
        }
        assertThat(Files.readAllLines(dir.resolve("a").resolve("runs.jsonl")))
                .allMatch(l -> l.matches("\\{\"customer\":\"[^\"]+\",\"external_userid\":\"[^\"]+\",\"journey\":\"[^\"]+\","
                        + "\"run\":\"[^\"]+\",\"status\":\"(active|completed|exited|superseded|failed)\","
                        + "\"pending\":\"(queue|timer|none)\",\"started_at\":\"[^\"]+\"}"));
    }

    @Test
    void everyCallThatReachesPeopleCarriesItsTouchIdWelcomesToo() {
        Simulation sim = run(3, 60, 7);
        Invariants inv = Report.of(sim, Duration.ZERO).invariants(sim);

        assertThat(inv.callsWithoutTouchId()).as("calls_without_touch_id").isZero();
        assertThat(sim.recorded().calls()).filteredOn(c -> c.api().equals("externalcontact/send_welcome_msg"))
                .isNotEmpty().allMatch(c -> c.touchId() != null && c.touchId().startsWith("welcome#"));
    }

    static Simulation run(long seed, int customers, int days) {
        CelConditionCompiler cel = new CelConditionCompiler();
        ScrmConfig config = new ConfigLoader(cel).load(SimulationTest.EXAMPLE);
        Simulation sim = MemoryWorld.create(config, cel, new Simulation.Settings(customers, days, seed, 10), START,
                new Faults(seed, RATE));
        sim.setUp(MemoryWorld.groups(config, customers, START));
        sim.run(p -> { });
        return sim;
    }
}
