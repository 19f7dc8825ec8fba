package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./siyu demo --faults RATE --start DAY}: bad values are usage errors; a seed, a start and a rate give one document. */
@Timeout(300)
class DemoFaultsTest {
    static final Path ROOT = SimulationCommandTest.ROOT;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--faults|1|--faults is a rate from 0 up to (not including) 1, e.g. 0.05, got '1'",
            "--faults|-0.1|--faults is a rate from 0 up to (not including) 1, e.g. 0.05, got '-0.1'",
            "--faults|lots|--faults is a rate from 0 up to (not including) 1, e.g. 0.05, got 'lots'",
            "--start|2026-13-01|--start is a day as YYYY-MM-DD, e.g. 2026-11-01, got '2026-13-01'",
            "--start|tomorrow|--start is a day as YYYY-MM-DD, e.g. 2026-11-01, got 'tomorrow'"})
    void aBadRateOrStartIsAUsageError(String option, String value, String message) throws Exception {
        Run run = demo("--store", "memory", option, value);
        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("siyu: " + message);
    }

    @Test
    void theSameSeedStartAndFaultsPrintTheSameDocument() throws Exception {
        String[] args = {"--store", "memory", "--customers", "40", "--days", "5", "--history", "5", "--seed", "4",
                "--start", "2026-11-01", "--faults", "0.05", "--json"};
        ObjectNode first = document(demo(args));
        ObjectNode second = document(demo(args));
        assertThat(first.with("run").path("from").asText()).isEqualTo("2026-11-01T00:00+08:00");
        assertThat(first.with("run").path("fault_rate").asDouble()).isEqualTo(0.05);
        assertThat(first.with("faults").path("store_throttle").asLong()).isPositive();
        assertThat(first.with("invariants").fieldNames()).toIterable()
                .contains("duplicate_touches", "stuck_runs", "missing_activation_runs");
        assertThat(second).isEqualTo(first);
        ObjectNode otherSeed = document(demo("--store", "memory", "--customers", "40", "--days", "5", "--history", "5",
                "--seed", "5", "--start", "2026-11-01", "--faults", "0.05", "--json"));
        assertThat(otherSeed.with("faults")).isNotEqualTo(first.with("faults"));
    }

    private static ObjectNode document(Run run) throws Exception {
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(run.out);
        // The wall time is the one number that is not the run's.
        doc.with("run").remove("wall_seconds");
        return doc;
    }

    private record Run(int code, String out, String err) { }

    private static Run demo(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("demo"));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ROOT);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
