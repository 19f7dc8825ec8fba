package dev.siyu.analytics.personas;

import java.util.ArrayList;
import java.util.List;

/**
 * Names clusters from their centroids in standardised units (0 = the average customer, 1 = one standard
 * deviation of the log-scaled feature above it). Each name scores every centroid by the traits that define
 * it; names are handed out best match first, each at most once.
 */
final class PersonaNames {
    /** Centroid z-scores in the order of {@link BehaviourFeatures#NAMES}: recency, rate, order, tenure, variation. */
    private record Name(String name, String meaning, java.util.function.ToDoubleFunction<double[]> score) {
    }

    private static final List<Name> NAMES = List.of(
            new Name("Loyal Big Spender", "the core of the revenue: keep them close with senior-advisor care and early access",
                    z -> z[1] + z[2] - z[0]),
            new Name("Bargain Hunter", "frequent small baskets: they answer deals, bundles and coupons",
                    z -> z[1] - z[2] - 0.5 * z[0]),
            new Name("Occasional Splurger", "rare but large orders: a reminder before the seasons they buy in",
                    z -> z[2] - z[1]),
            new Name("Trend Seeker", "new and active: show them what is new while they are curious",
                    z -> -z[3] - z[0]),
            new Name("Drifting Away", "long silent: a win-back offer or a personal note before they are gone",
                    z -> z[0] - 0.5 * z[1]),
            new Name("Steady Regular", "long-standing, steady buyers: thank them and keep the rhythm",
                    z -> z[3] + z[1] - Math.abs(z[2]) - 0.5 * z[4]),
            new Name("Window Shopper", "small and rare purchases: light-touch content, no heavy discounts",
                    z -> -z[1] - z[2]),
            new Name("Mood Buyer", "order sizes swing widely: tailor offers to what they buy each time",
                    z -> z[4] - 0.5 * Math.abs(z[1])));

    private PersonaNames() {
    }

    /** One name and meaning per centroid. */
    static List<String[]> assign(List<double[]> centroids) {
        int k = centroids.size();
        String[][] out = new String[k][];
        boolean[] used = new boolean[NAMES.size()];
        for (int round = 0; round < k; round++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestCluster = -1;
            int bestName = -1;
            for (int c = 0; c < k; c++) {
                if (out[c] != null) {
                    continue;
                }
                for (int n = 0; n < NAMES.size(); n++) {
                    double s = NAMES.get(n).score().applyAsDouble(centroids.get(c));
                    if (!used[n] && s > best) {
                        best = s;
                        bestCluster = c;
                        bestName = n;
                    }
                }
            }
            if (bestName < 0) {
                for (int c = 0; c < k; c++) {
                    if (out[c] == null) {
                        out[c] = new String[] {"Mixed Group " + (c + 1), "no single trait stands out"};
                    }
                }
                break;
            }
            used[bestName] = true;
            out[bestCluster] = new String[] {NAMES.get(bestName).name(), NAMES.get(bestName).meaning()};
        }
        List<String[]> result = new ArrayList<>();
        for (String[] o : out) {
            result.add(o);
        }
        return result;
    }
}
