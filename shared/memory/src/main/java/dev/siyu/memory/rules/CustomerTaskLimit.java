package dev.siyu.memory.rules;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The corp's rule for how many {@code add_msg_template} tasks one customer receives, enterprise and member tasks
 * together, as the admin sets it in WeCom's console. Source: "创建企业群发",
 * https://developer.work.weixin.qq.com/document/path/92135 (last updated 2025-11: per customer per month as many
 * as the month has days, or 7 a week, or 1 a day, as the corp sets it).
 */
public enum CustomerTaskLimit {
    /** As many per calendar month as the month has days. */
    DAYS_IN_MONTH,
    /** 7 per week (Monday to Sunday). */
    SEVEN_A_WEEK,
    /** 1 per day. */
    ONE_A_DAY;

    /** The rule the blueprint says the corp set ({@code guardrails.wecom_customer_message_limit}). */
    public static CustomerTaskLimit of(dev.siyu.core.gate.PlatformMessageLimit corpRule) {
        switch (corpRule) {
            case SEVEN_PER_WEEK:
                return SEVEN_A_WEEK;
            case ONE_PER_DAY:
                return ONE_A_DAY;
            default:
                return DAYS_IN_MONTH;
        }
    }

    /** The first day of the period the day falls in. */
    LocalDate periodStart(LocalDate day) {
        switch (this) {
            case DAYS_IN_MONTH:
                return day.withDayOfMonth(1);
            case SEVEN_A_WEEK:
                return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default:
                return day;
        }
    }

    int allowed(LocalDate day) {
        switch (this) {
            case DAYS_IN_MONTH:
                return day.lengthOfMonth();
            case SEVEN_A_WEEK:
                return 7;
            default:
                return 1;
        }
    }
}
