package dev.siyu.analytics.churn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A trained booster's trees (XGBoost's JSON model: {@code binary:logistic}, numeric splits) evaluated in Java, with
 * XGBoost's own rule: at each split go left when the value is below the split condition, or, when it is missing
 * (NaN), the way the split's default says; P(churn) = sigmoid(base margin + the leaves' sum over the kept rounds).
 * Why not the library's predict: for a churn model of a few hundred shallow trees the JNI call, the row copy into
 * native memory and the per-row result arrays cost more than the trees (137,000-173,000 rows/s through
 * XGBoost4J's inplace predict, single-threaded); here the rows are read where they are.
 *
 * <p>Each tree is laid out as a complete binary tree of the ensemble's depth (a leaf above that depth is copied
 * into every slot below it), so a row walks exactly {@code depth} levels by index arithmetic, one comparison each
 * (missing values are settled by where the split reads, see {@link #predict(float[][], int, int, float[])}), and a
 * block of rows walks one tree before the next, so the rows' walks overlap in the processor. {@code TreeEnsembleTest} compares
 * it with XGBoost's own predictions.
 */
public final class TreeEnsemble {
    /** Complete trees double per level: beyond this depth the layout would outgrow the model. */
    static final int MAX_DEPTH = 10;
    private static final int BLOCK = 64;

    private final int depth;
    private final int trees;
    private final int features;
    /** Per split: the feature's place in a row doubled for missing values (feature, or features + feature: see predict). */
    private final int[] column;
    private final float[] threshold;
    private final float[] leaf;
    private final float baseMargin;

    private TreeEnsemble(int depth, int trees, int features, int[] column, float[] threshold, float[] leaf,
                         float baseMargin) {
        this.depth = depth;
        this.trees = trees;
        this.features = features;
        this.column = column;
        this.threshold = threshold;
        this.leaf = leaf;
        this.baseMargin = baseMargin;
    }

    public int trees() {
        return trees;
    }

    public int depth() {
        return depth;
    }

    /**
     * The first {@code rounds} rounds' trees of an XGBoost JSON model; empty when the model is one this class does
     * not evaluate (another objective, categorical splits, several outputs, trees deeper than {@value #MAX_DEPTH}),
     * so the caller keeps the library's predict.
     */
    public static Optional<TreeEnsemble> fromXgboostJson(byte[] json, int rounds) {
        JsonNode learner;
        try {
            learner = new ObjectMapper().readTree(json).path("learner");
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode param = learner.path("learner_model_param");
        if (!"binary:logistic".equals(learner.path("objective").path("name").asText())
                || !"gbtree".equals(learner.path("gradient_booster").path("name").asText())
                || param.path("num_class").asInt(0) > 1 || param.path("num_target").asInt(1) != 1) {
            return Optional.empty();
        }
        JsonNode model = learner.path("gradient_booster").path("model");
        JsonNode all = model.path("trees");
        JsonNode indptr = model.path("iteration_indptr");
        int count = indptr.isArray() && indptr.size() > rounds ? indptr.get(rounds).asInt()
                : rounds * Math.max(1, model.path("gbtree_model_param").path("num_parallel_tree").asInt(1));
        count = Math.min(count, all.size());
        int features = param.path("num_feature").asInt();
        int depth = 0;
        for (int t = 0; t < count; t++) {
            JsonNode tree = all.get(t);
            for (JsonNode type : tree.path("split_type")) {
                if (type.asInt() != 0) {
                    return Optional.empty();
                }
            }
            depth = Math.max(depth, depth(tree.path("left_children"), tree.path("right_children"), 0, 0));
            if (depth > MAX_DEPTH) {
                return Optional.empty();
            }
        }
        int internal = (1 << depth) - 1;
        int leaves = 1 << depth;
        int[] feature = new int[count * internal];
        float[] threshold = new float[count * internal];
        boolean[] defaultLeft = new boolean[count * internal];
        float[] leaf = new float[count * leaves];
        for (int t = 0; t < count; t++) {
            JsonNode tree = all.get(t);
            lay(tree, 0, 0, 0, depth, t * internal, t * leaves, feature, threshold, defaultLeft, leaf, features);
        }
        String base = param.path("base_score").asText().replace("[", "").replace("]", "");
        float p = Float.parseFloat(base);
        // binary:logistic keeps base_score as a probability; the trees add to its logit (XGBoost's ProbToMargin).
        float margin = (float) -Math.log(1.0f / p - 1.0f);
        int[] column = new int[feature.length];
        for (int i = 0; i < column.length; i++) {
            column[i] = defaultLeft[i] ? features + feature[i] : feature[i];
        }
        return Optional.of(new TreeEnsemble(depth, count, features, column, threshold, leaf, margin));
    }

    private static int depth(JsonNode left, JsonNode right, int node, int level) {
        int l = left.get(node).asInt();
        if (l < 0) {
            return level;
        }
        return Math.max(depth(left, right, l, level + 1), depth(left, right, right.get(node).asInt(), level + 1));
    }

    /** Puts the subtree at {@code node} into slot {@code slot} of the complete layout at {@code level}. */
    private static void lay(JsonNode tree, int node, int slot, int level, int depth, int internalBase, int leafBase,
                            int[] feature, float[] threshold, boolean[] defaultLeft, float[] leaf, int features) {
        int left = tree.path("left_children").get(node).asInt();
        if (level == depth) {
            leaf[leafBase + slot - ((1 << depth) - 1)] = (float) tree.path("split_conditions").get(node).asDouble();
            return;
        }
        if (left < 0) {
            // A leaf above the full depth: both ways below it lead to its value, so whatever is compared does not matter.
            feature[internalBase + slot] = 0;
            threshold[internalBase + slot] = 0;
            lay(tree, node, 2 * slot + 1, level + 1, depth, internalBase, leafBase, feature, threshold, defaultLeft, leaf, features);
            lay(tree, node, 2 * slot + 2, level + 1, depth, internalBase, leafBase, feature, threshold, defaultLeft, leaf, features);
            return;
        }
        int split = tree.path("split_indices").get(node).asInt();
        if (split < 0 || split >= features) {
            throw new IllegalArgumentException("a split on feature " + split + " of " + features);
        }
        feature[internalBase + slot] = split;
        threshold[internalBase + slot] = (float) tree.path("split_conditions").get(node).asDouble();
        defaultLeft[internalBase + slot] = tree.path("default_left").get(node).asInt() != 0;
        lay(tree, left, 2 * slot + 1, level + 1, depth, internalBase, leafBase, feature, threshold, defaultLeft, leaf, features);
        lay(tree, tree.path("right_children").get(node).asInt(), 2 * slot + 2, level + 1, depth, internalBase, leafBase,
                feature, threshold, defaultLeft, leaf, features);
    }

    /** P(churn) for every row; a row has the model's features in order, missing as NaN. */
    public float[] predict(float[][] rows) {
        float[] out = new float[rows.length];
        predict(rows, 0, rows.length, out);
        return out;
    }

    /** P(churn) of rows {@code from} (inclusive) to {@code to} (exclusive) into the same places of {@code out}. */
    public void predict(float[][] rows, int from, int to, float[] out) {
        int width = 2 * features;
        float[] block = new float[BLOCK * width];
        float[] margin = new float[BLOCK];
        int[] slots = new int[BLOCK];
        int internal = (1 << depth) - 1;
        int leaves = 1 << depth;
        for (int start = from; start < to; start += BLOCK) {
            int end = Math.min(to, start + BLOCK);
            int count = end - start;
            // Each row twice, missing values as +inf then as -inf: a split whose missing values go right reads the
            // first copy (+inf is never below a split condition), one whose missing values go left the second, so
            // every split is one comparison with XGBoost's outcome and no test for NaN.
            for (int i = 0; i < count; i++) {
                float[] row = rows[start + i];
                if (row.length < features) {
                    throw new IllegalArgumentException("row " + (start + i) + " has " + row.length + " features, the model "
                            + features);
                }
                int base = i * width;
                for (int c = 0; c < features; c++) {
                    float v = row[c];
                    boolean missing = v != v;
                    block[base + c] = missing ? Float.POSITIVE_INFINITY : v;
                    block[base + features + c] = missing ? Float.NEGATIVE_INFINITY : v;
                }
            }
            Arrays.fill(margin, baseMargin);
            for (int t = 0; t < trees; t++) {
                int nodes = t * internal;
                int leafBase = t * leaves - internal;
                // Level by level across the block: the rows' steps do not wait on each other.
                Arrays.fill(slots, 0, count, 0);
                for (int level = 0; level < depth; level++) {
                    for (int i = 0; i < count; i++) {
                        int slot = slots[i];
                        int n = nodes + slot;
                        slots[i] = 2 * slot + (block[i * width + column[n]] < threshold[n] ? 1 : 2);
                    }
                }
                for (int i = 0; i < count; i++) {
                    margin[i] += leaf[leafBase + slots[i]];
                }
            }
            for (int i = 0; i < count; i++) {
                out[start + i] = (float) (1.0 / (1.0 + Math.exp(-margin[i])));
            }
        }
    }
}
