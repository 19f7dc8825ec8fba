package dev.siyu.core.gate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

/**
 * WeCom's own limit on customer mass messages, as the corp's admin sets it (企业微信 - 群发助手 - 设置群发规则).
 * Source: "创建企业群发" (add_msg_template), https://developer.work.weixin.qq.com/document/path/92135, last updated
 * 2025-11-17: each customer receives at most as many tasks a month as the month has days, adjustable to 7 a week or
 * 1 a day; enterprise and member tasks together. The blueprint states which one the corp uses
 * ({@code guardrails.wecom_customer_message_limit}) so the gate never asks WeCom for a task it must refuse (41048).
 */
public enum PlatformMessageLimit {
    /** As many per calendar month as the month has days (WeCom's default). */
    DAYS_IN_MONTH(CapPeriod.MONTH),
    /** 7 per week, Monday to Sunday. */
    SEVEN_PER_WEEK(CapPeriod.WEEK),
    /** 1 per day. */
    ONE_PER_DAY(CapPeriod.DAY);

    private final CapPeriod period;

    PlatformMessageLimit(CapPeriod period) {
        this.period = period;
    }

    public CapPeriod period() {
        return period;
    }

    /** How many tasks a customer may receive in the period holding at. */
    public int allowed(Instant at, ZoneId zone) {
        switch (this) {
            case DAYS_IN_MONTH:
                LocalDate day = at.atZone(zone).toLocalDate();
                return day.lengthOfMonth();
            case SEVEN_PER_WEEK:
                return 7;
            default:
                return 1;
        }
    }

    /** The count of the customer's tasks in this limit's period, from the gate's counters. */
    public int used(Counters counters) {
        switch (this) {
            case DAYS_IN_MONTH:
                return counters.massMessagesThisMonth();
            case SEVEN_PER_WEEK:
                return counters.massMessagesThisWeek();
            default:
                return counters.massMessagesToday();
        }
    }

    /** The blueprint's spelling: {@code days_in_month}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PlatformMessageLimit> fromYaml(String text) {
        for (PlatformMessageLimit l : values()) {
            if (l.yamlName().equals(text)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
