package dev.siyu.analytics.personas;

/**
 * One cluster: its name, a sentence an operator can act on, its size, and the typical (median) member's
 * behaviour in the features' own units.
 */
public record Persona(int cluster, String name, String description, int customers, double share,
                      double recencyDays, double purchasesPer30Days, double averageOrder, double tenureDays,
                      double spendVariation) {
}
