package dev.siyu.analytics.personas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.hipparchus.clustering.CentroidCluster;
import org.hipparchus.clustering.Clusterable;
import org.hipparchus.clustering.KMeansPlusPlusClusterer;
import org.hipparchus.clustering.distance.EuclideanDistance;
import org.hipparchus.random.Well19937c;

/**
 * Behaviour personas: the features log-scaled (log1p; spend and rates are heavy-tailed) and standardised,
 * k-means++ (Hipparchus; the best of 5 seeded runs by within-cluster sum of squares) for k = 3..8, and k
 * chosen by the highest mean silhouette on a seeded sample of up to 3,000 customers. Deterministic for a seed.
 */
public final class Personas {
    public static final int MIN_K = 3;
    public static final int MAX_K = 8;
    private static final int SAMPLE = 3_000;
    private static final int RUNS = 5;

    private final long seed;
    private final Consumer<String> progress;

    public Personas(long seed, Consumer<String> progress) {
        this.seed = seed;
        this.progress = progress;
    }

    private record Point(int index, double[] getPoint) implements Clusterable {
    }

    /** {@code fixedK} > 0 skips the search. */
    public PersonaResult cluster(List<BehaviourFeatures> customers, int fixedK) {
        if (customers.size() < MAX_K * 10) {
            throw new IllegalArgumentException("personas need at least " + MAX_K * 10 + " customers, found " + customers.size());
        }
        int dims = BehaviourFeatures.NAMES.length;
        int n = customers.size();
        double[][] scaled = new double[n][];
        double[] mean = new double[dims];
        double[] sd = new double[dims];
        for (int i = 0; i < n; i++) {
            double[] v = customers.get(i).vector();
            for (int d = 0; d < dims; d++) {
                v[d] = Math.log1p(Math.max(0, v[d]));
                mean[d] += v[d] / n;
            }
            scaled[i] = v;
        }
        for (double[] v : scaled) {
            for (int d = 0; d < dims; d++) {
                sd[d] += (v[d] - mean[d]) * (v[d] - mean[d]) / n;
            }
        }
        for (int d = 0; d < dims; d++) {
            sd[d] = sd[d] > 0 ? Math.sqrt(sd[d]) : 1;
        }
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] z = new double[dims];
            for (int d = 0; d < dims; d++) {
                z[d] = (scaled[i][d] - mean[d]) / sd[d];
            }
            points.add(new Point(i, z));
        }

        Map<Integer, Double> silhouettes = new LinkedHashMap<>();
        int k = fixedK;
        if (k <= 0) {
            List<Point> sample = sample(points);
            double best = Double.NEGATIVE_INFINITY;
            for (int candidate = MIN_K; candidate <= MAX_K; candidate++) {
                double s = silhouette(sample, kmeans(sample, candidate));
                silhouettes.put(candidate, s);
                progress.accept(String.format(Locale.ROOT, "personas: k=%d silhouette %.3f", candidate, s));
                if (s > best) {
                    best = s;
                    k = candidate;
                }
            }
        }
        List<CentroidCluster<Point>> clusters = kmeans(points, k);
        clusters.sort((a, b) -> Integer.compare(b.getPoints().size(), a.getPoints().size()));
        List<double[]> centroids = new ArrayList<>();
        for (CentroidCluster<Point> c : clusters) {
            centroids.add(c.getCenter().getPoint());
        }
        List<String[]> names = PersonaNames.assign(centroids);
        List<Persona> personas = new ArrayList<>();
        Map<String, Integer> clusterOf = new HashMap<>();
        for (int c = 0; c < clusters.size(); c++) {
            List<Point> members = clusters.get(c).getPoints();
            double[][] raw = new double[dims][members.size()];
            for (int m = 0; m < members.size(); m++) {
                BehaviourFeatures f = customers.get(members.get(m).index());
                clusterOf.put(f.customerId(), c);
                double[] v = f.vector();
                for (int d = 0; d < dims; d++) {
                    raw[d][m] = v[d];
                }
            }
            double[] median = new double[dims];
            for (int d = 0; d < dims; d++) {
                Arrays.sort(raw[d]);
                median[d] = raw[d][raw[d].length / 2];
            }
            double share = members.size() / (double) n;
            double months = median[3] / 30.4;
            String description = String.format(Locale.ROOT,
                    "%d customers (%.0f%%): typically bought %.1f times a month over %s, about %.2f a purchase, "
                            + "last %.0f days ago; %s.",
                    members.size(), 100 * share, median[1],
                    months < 1.5 ? "about a month" : String.format(Locale.ROOT, "%.0f months", months),
                    median[2], median[0], names.get(c)[1]);
            personas.add(new Persona(c, names.get(c)[0], description, members.size(), share,
                    median[0], median[1], median[2], median[3], median[4]));
        }
        return new PersonaResult(k, silhouettes, personas, clusterOf);
    }

    private List<Point> sample(List<Point> points) {
        if (points.size() <= SAMPLE) {
            return points;
        }
        List<Point> copy = new ArrayList<>(points);
        java.util.Collections.shuffle(copy, new java.util.Random(seed));
        return copy.subList(0, SAMPLE);
    }

    private List<CentroidCluster<Point>> kmeans(List<Point> points, int k) {
        List<CentroidCluster<Point>> best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int run = 0; run < RUNS; run++) {
            KMeansPlusPlusClusterer<Point> clusterer = new KMeansPlusPlusClusterer<>(k, 300, new EuclideanDistance(),
                    new Well19937c(seed * 31 + run));
            List<CentroidCluster<Point>> clusters = clusterer.cluster(points);
            double cost = 0;
            for (CentroidCluster<Point> c : clusters) {
                double[] center = c.getCenter().getPoint();
                for (Point p : c.getPoints()) {
                    cost += squared(p.getPoint(), center);
                }
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = clusters;
            }
        }
        return new ArrayList<>(best);
    }

    /** Mean silhouette (Rousseeuw 1987): (b - a) / max(a, b) with a = mean distance to the own cluster, b = to the nearest other. */
    static double silhouette(List<Point> points, List<CentroidCluster<Point>> clusters) {
        int n = points.size();
        int[] label = new int[n];
        Map<Point, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(points.get(i), i);
        }
        int[] sizes = new int[clusters.size()];
        for (int c = 0; c < clusters.size(); c++) {
            for (Point p : clusters.get(c).getPoints()) {
                label[index.get(p)] = c;
                sizes[c]++;
            }
        }
        double total = 0;
        double[] sums = new double[clusters.size()];
        for (int i = 0; i < n; i++) {
            Arrays.fill(sums, 0);
            double[] pi = points.get(i).getPoint();
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    sums[label[j]] += Math.sqrt(squared(pi, points.get(j).getPoint()));
                }
            }
            int own = label[i];
            if (sizes[own] <= 1) {
                continue;
            }
            double a = sums[own] / (sizes[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < sums.length; c++) {
                if (c != own && sizes[c] > 0) {
                    b = Math.min(b, sums[c] / sizes[c]);
                }
            }
            total += (b - a) / Math.max(a, b);
        }
        return total / n;
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return s;
    }
}
