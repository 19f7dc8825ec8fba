package dev.siyu.analytics.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AucTest {
    @Test
    void perfectRandomAndTiedRankings() {
        float[] labels = {0, 0, 1, 1};

        assertThat(Auc.of(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, labels)).isEqualTo(1.0);
        assertThat(Auc.of(new float[] {0.9f, 0.8f, 0.2f, 0.1f}, labels)).isEqualTo(0.0);
        assertThat(Auc.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, labels)).isEqualTo(0.5);
        // One of four positive-negative pairs misordered.
        assertThat(Auc.of(new float[] {0.1f, 0.6f, 0.5f, 0.9f}, labels)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void stratifiedSplitKeepsTheClassBalanceAndIsRepeatable() {
        float[] labels = new float[1000];
        for (int i = 0; i < 200; i++) {
            labels[i * 5] = 1;
        }
        int[] all = java.util.stream.IntStream.range(0, 1000).toArray();

        StratifiedSplit a = StratifiedSplit.of(all, labels, 0.2, 42);
        StratifiedSplit b = StratifiedSplit.of(all, labels, 0.2, 42);

        assertThat(a.test()).hasSize(200).isEqualTo(b.test());
        assertThat(java.util.Arrays.stream(a.test()).filter(i -> labels[i] == 1).count()).isEqualTo(40);
    }
}
