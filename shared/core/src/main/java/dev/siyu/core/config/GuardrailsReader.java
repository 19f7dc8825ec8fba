package dev.siyu.core.config;

import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.gate.Guardrails;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * {@code guardrails}: the outreach limits. Every field is optional and falls back to the seed's
 * default; a wrong field is reported and its default used, so the rest of the section is still checked.
 */
final class GuardrailsReader {
    static final List<String> KEYS = List.of("business_hours", "mass_messages_per_month",
            "moments_posts_per_day", "journey_messages_per_week", "promotional_share_max", "content_mix_window",
            "sensitive_industry");

    private final ProblemLog log;

    GuardrailsReader(ProblemLog log) {
        this.log = log;
    }

    Guardrails read(YamlMap section) {
        Guardrails defaults = Guardrails.DEFAULTS;
        section.allowOnly(KEYS);
        BusinessHours hours = section.string("business_hours", false).flatMap(text -> {
            Optional<BusinessHours> parsed = BusinessHours.parse(text);
            if (parsed.isEmpty()) {
                log.add(section.at("business_hours"), "business_hours '" + text + "' must be two different"
                        + " 24-hour times, start-end, such as \"09:00-21:00\"");
            }
            return parsed;
        }).orElse(defaults.businessHours());
        int mass = section.integer("mass_messages_per_month", 0, Guardrails.MAX_MASS_MESSAGES_PER_MONTH,
                " (the seed's rule: at most 4 mass messages per customer per month)")
                .orElse(defaults.massMessagesPerMonth());
        int moments = section.integer("moments_posts_per_day", 0, Guardrails.MAX_MOMENTS_POSTS_PER_DAY,
                " (the seed's rule: at most 1 Moments post per day)").orElse(defaults.momentsPostsPerDay());
        int journey = section.integer("journey_messages_per_week", 0, Guardrails.MAX_JOURNEY_MESSAGES_PER_WEEK, "")
                .orElse(defaults.journeyMessagesPerWeek());
        double share = share(section).orElse(defaults.promotionalShareMax());
        int window = section.integer("content_mix_window", 1, Guardrails.MAX_CONTENT_MIX_WINDOW, "")
                .orElse(defaults.contentMixWindow());
        boolean sensitive = section.bool("sensitive_industry").orElse(defaults.sensitiveIndustry());
        return new Guardrails(hours, mass, moments, journey, share, window, sensitive);
    }

    private Optional<Double> share(YamlMap section) {
        String key = "promotional_share_max";
        BigDecimal max = BigDecimal.valueOf(Guardrails.MAX_PROMOTIONAL_SHARE);
        return section.string(key, false).flatMap(text -> {
            BigDecimal value;
            try {
                value = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                log.add(section.at(key), key + " must be a share such as 0.30, got '" + text + "'");
                return Optional.empty();
            }
            if (value.signum() < 0 || value.compareTo(max) > 0) {
                // 30 for 30% is the likely slip, so say how to write it
                String hint = value.compareTo(BigDecimal.ONE) > 0 ? "; write a share: 0.30 for 30%" : "";
                log.add(section.at(key), key + " " + text + " is outside 0.." + max
                        + " (the seed's rule: under 30% promotional)" + hint);
                return Optional.empty();
            }
            return Optional.of(value.doubleValue());
        });
    }
}
