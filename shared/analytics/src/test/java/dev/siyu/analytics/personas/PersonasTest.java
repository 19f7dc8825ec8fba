package dev.siyu.analytics.personas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Three planted behaviours come back as three personas with the names their traits call for. */
class PersonasTest {

    @Test
    void plantedGroupsAreFoundAndNamedFromTheirTraits() {
        Random r = new Random(1);
        List<BehaviourFeatures> customers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Frequent small baskets, bought recently, long-standing. Every feature differs by group: a feature that
            // is pure noise would get a full standard deviation of weight after scaling and split the groups.
            customers.add(new BehaviourFeatures("bargain" + i, jitter(r, 5), jitter(r, 6), jitter(r, 8), jitter(r, 600), 0.3));
            // Rare but large orders.
            customers.add(new BehaviourFeatures("splurge" + i, jitter(r, 60), jitter(r, 0.3), jitter(r, 900), jitter(r, 200), 0.3));
            // Silent for most of a year.
            customers.add(new BehaviourFeatures("gone" + i, jitter(r, 300), jitter(r, 0.2), jitter(r, 60), jitter(r, 400), 0.3));
        }

        PersonaResult result = new Personas(42, line -> { }).cluster(customers, 0);

        assertThat(result.k()).isEqualTo(3);
        assertThat(result.personas()).extracting(Persona::customers).containsOnly(300);
        assertThat(result.personas()).extracting(Persona::name)
                .containsExactlyInAnyOrder("Bargain Hunter", "Occasional Splurger", "Drifting Away");
        String bargainCluster = result.personas().stream().filter(p -> p.name().equals("Bargain Hunter")).findFirst()
                .orElseThrow().cluster() + "";
        assertThat(result.clusterOf().get("bargain7") + "").isEqualTo(bargainCluster);
    }

    static double jitter(Random r, double v) {
        return v * Math.exp(r.nextGaussian() * 0.15);
    }
}
