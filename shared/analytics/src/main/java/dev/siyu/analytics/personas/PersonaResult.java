package dev.siyu.analytics.personas;

import java.util.List;
import java.util.Map;

/** The chosen k, the mean silhouette of every k tried, the personas (largest first) and each customer's cluster. */
public record PersonaResult(int k, Map<Integer, Double> silhouetteByK, List<Persona> personas, Map<String, Integer> clusterOf) {
}
