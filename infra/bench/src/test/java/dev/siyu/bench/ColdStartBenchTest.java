package dev.siyu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdStartBenchTest {
    /** The bare Funqy function the benchmark compares every function with (infra/bench-baseline). */
    static final Path BASELINE_ZIP = Path.of("../bench-baseline/target/function.zip");


    @TempDir
    Path work;

    @Test
    void measures_a_cold_start_of_the_baseline_on_this_jvm() {
        assumeTrue(Files.isRegularFile(BASELINE_ZIP), "needs the packaged baseline function");
        Path thisJdk = Path.of(System.getProperty("java.home"));
        ColdStartBench.Options o = new ColdStartBench.Options(BASELINE_ZIP, null, List.of(),
                List.of("jdk17"), 1, 0, thisJdk, thisJdk, List.of(), Map.of(), work, Duration.ofSeconds(60), null,
                false, null);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        ColdStartBench.Result r = new ColdStartBench(new PrintStream(progress, true, StandardCharsets.UTF_8)).run(o);

        assertThat(r.measurements()).hasSize(1);
        ColdStartBench.Measurement m = r.measurements().get(0);
        assertThat(m.error()).as(progress.toString(StandardCharsets.UTF_8)).isNull();
        assertThat(m.function()).isEqualTo("bench-baseline");
        assertThat(m.samples()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.coldMs()).isGreaterThanOrEqualTo(s.initMs()).isPositive();
            assertThat(s.rssMb()).isPositive();
        });
        assertThat(ColdStartBench.table(r)).contains("bench-baseline").contains("jdk17");
        assertThat(ColdStartBench.json(r)).contains("\"coldMs\"");
    }

    @Test
    void stats_take_the_middle_value_or_the_mean_of_the_two_middle_ones() {
        assertThat(ColdStartBench.Stats.of(List.of(sample(3), sample(1), sample(2)), ColdStartBench.Sample::coldMs))
                .isEqualTo(new ColdStartBench.Stats(1, 2, 3));
        assertThat(ColdStartBench.Stats.of(List.of(sample(4), sample(1), sample(2), sample(3)),
                ColdStartBench.Sample::coldMs)).isEqualTo(new ColdStartBench.Stats(1, 2.5, 4));
    }

    @Test
    void names_functions_by_their_module_and_launches_by_valid_table_names() {
        assertThat(ColdStartBench.functionName(Path.of("functions/wecom-callback/target/function.zip")))
                .isEqualTo("wecom-callback");
        assertThat(ColdStartBench.functionName(Path.of("/tmp/x/other.zip"))).isEqualTo("other");
        assertThat(ColdStartBench.tableName("wecom-callback-jdk25 aot-3")).isEqualTo("coldstart-wecom-callback-jdk25-aot-3");
    }

    private static ColdStartBench.Sample sample(double coldMs) {
        return new ColdStartBench.Sample(coldMs, 0, 0, 0, List.of(), 0, 200);
    }
}
