package dev.siyu.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Run in a child JVM on a function zip's jars (ScoringZipTest): trains and applies a tiny booster, which loads
 * libxgboost4j.so and through it libgomp.so.1 with two OpenMP threads, then prints where the process mapped
 * libgomp from.
 */
public final class BoosterProbe {
    private BoosterProbe() {
    }

    public static void main(String[] args) throws Exception {
        DMatrix data = new DMatrix(new float[] {0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1}, 8, 2, Float.NaN);
        data.setLabel(new float[] {0, 1, 0, 1, 0, 1, 0, 1});
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("nthread", 2);
        Booster booster = XGBoost.train(data, params, 3, Map.of(), null, null);
        System.out.println("predicted " + booster.predict(data).length);
        Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("libgomp"))
                .map(l -> l.substring(l.indexOf('/'))).distinct().forEach(l -> System.out.println("libgomp " + l));
    }
}
