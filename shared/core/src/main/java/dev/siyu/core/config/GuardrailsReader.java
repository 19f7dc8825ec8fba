package dev.siyu.core.config;

import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.MessagePriority;
import dev.siyu.core.gate.PlatformMessageLimit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code guardrails}: the outreach limits. Every field is optional and falls back to the seed's
 * default; a wrong field is reported and its default used, so the rest of the section is still checked.
 */
final class GuardrailsReader {
    static final List<String> KEYS = List.of("business_hours", "mass_messages_per_month",
            "moments_posts_per_day", "journey_messages_per_week", "promotional_share_max", "content_mix_window",
            "sensitive_industry", "wecom_customer_message_limit", "mass_message_priority", "mass_message_reserve");

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
        PlatformMessageLimit platform = section.choice("wecom_customer_message_limit", false,
                        "the corp's WeCom rule for customer mass messages",
                        Arrays.stream(PlatformMessageLimit.values()).map(PlatformMessageLimit::yamlName).toList())
                .flatMap(PlatformMessageLimit::fromYaml).orElse(defaults.platformLimit());
        List<MessagePriority> order = priority(section).orElse(defaults.massMessagePriority());
        int reserve = section.integer("mass_message_reserve", 0, mass,
                " (slots of the month's " + mass + " that lower priorities leave to higher ones)")
                .orElse(Math.min(Guardrails.DEFAULT_RESERVE, mass));
        return new Guardrails(hours, mass, moments, journey, share, window, sensitive, platform, order, reserve);
    }

    /** Every class once, most important first; a wrong list is reported at its line and the default used. */
    private Optional<List<MessagePriority>> priority(YamlMap section) {
        String key = "mass_message_priority";
        return section.strings(key, false).flatMap(items -> {
            List<MessagePriority> order = new ArrayList<>();
            boolean ok = true;
            for (YamlMap.Item item : items) {
                Optional<MessagePriority> p = MessagePriority.fromYaml(item.value());
                if (p.isEmpty()) {
                    log.add(item.where(), key + ": unknown class '" + item.value() + "'; the classes are "
                            + names(List.of(MessagePriority.values())));
                    ok = false;
                } else if (order.contains(p.get())) {
                    log.add(item.where(), key + ": '" + item.value() + "' is listed twice");
                    ok = false;
                } else {
                    order.add(p.get());
                }
            }
            if (ok && order.size() != MessagePriority.values().length) {
                List<MessagePriority> missing = new ArrayList<>(List.of(MessagePriority.values()));
                missing.removeAll(order);
                log.add(section.at(key), key + " must rank every class; missing " + names(missing));
                ok = false;
            }
            return ok ? Optional.of(List.copyOf(order)) : Optional.empty();
        });
    }

    private static String names(List<MessagePriority> list) {
        return String.join(", ", list.stream().map(MessagePriority::yamlName).toList());
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
