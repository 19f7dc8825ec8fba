package dev.siyu.analytics.ltv;

import java.time.LocalDate;

/** One purchase: who, on which day, for how much (in the shop's currency). */
public record Transaction(String customerId, LocalDate date, double amount) {
}
